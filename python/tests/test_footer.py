"""Footer fields against pyarrow's view of the same footer."""
import pytest

import pqfoot

pq = pytest.importorskip("pyarrow.parquet")


def test_fields_match_pyarrow(user_file):
    f = pqfoot.Footer(user_file)
    md = pq.read_metadata(user_file)
    assert f.num_rows == md.num_rows
    assert f.num_row_groups == md.num_row_groups == 12
    assert f.columns == [md.schema.column(i).path for i in range(md.num_columns)]
    assert len(f.columns) == 150
    assert f.serialized_size == md.serialized_size
    assert f.created_by == md.created_by
    assert 0 < f.retained_bytes < f.serialized_size
    assert f.path == user_file
    assert set(f.key_value_metadata) == set(md.metadata)


def test_row_groups_and_chunks_match_pyarrow(nested_file):
    f = pqfoot.Footer(nested_file)
    md = pq.read_metadata(nested_file)
    for rg in range(md.num_row_groups):
        r = md.row_group(rg)
        got = f.row_group(rg)
        assert got["num_rows"] == r.num_rows
        assert got["total_byte_size"] == r.total_byte_size
        for c in range(r.num_columns):
            cm = r.column(c)
            ch = f.chunk(rg, c)
            assert ch == f.chunk(rg, cm.path_in_schema)
            assert ch["path"] == cm.path_in_schema
            assert ch["data_page_offset"] == cm.data_page_offset
            assert ch["total_compressed_size"] == cm.total_compressed_size
            assert ch["total_uncompressed_size"] == cm.total_uncompressed_size
            assert ch["num_values"] == cm.num_values
            assert ch["type"] == cm.physical_type
            assert ch["codec"] == cm.compression
            if cm.has_dictionary_page:
                assert ch["dictionary_page_offset"] == cm.dictionary_page_offset
                assert ch["start"] == cm.dictionary_page_offset
            else:
                assert ch["start"] == cm.data_page_offset
            assert ch["length"] == cm.total_compressed_size
    assert f.row_group(-1)["index"] == md.num_row_groups - 1


def test_projection_keeps_schema_drops_chunks(user_file):
    whole = pqfoot.Footer(user_file)
    proj = pqfoot.Footer(user_file, columns=["feature_3", 7])
    assert proj.columns == whole.columns
    assert proj.projected_columns == ["feature_3", "feature_7"]
    assert proj.retained_bytes < whole.retained_bytes
    assert proj.chunk(2, "feature_3") == whole.chunk(2, "feature_3")
    with pytest.raises(pqfoot.NoColumnError):
        proj.chunk(2, "feature_4")


def test_group_projection(nested_file):
    f = pqfoot.Footer(nested_file, columns="point")
    assert f.projected_columns == ["point.x", "point.y.list.element"]


def test_keep_kv_off(user_file):
    f = pqfoot.Footer(user_file, keep_kv=False)
    assert f.key_value_metadata is None
    assert f.retained_bytes < pqfoot.Footer(user_file).retained_bytes


def test_pathlike_and_repr(user_file):
    import pathlib
    f = pqfoot.Footer(pathlib.Path(user_file))
    assert "12 row groups" in repr(f)


def test_footer_is_immutable(user_file):
    f = pqfoot.Footer(user_file)
    with pytest.raises(TypeError):
        f.__init__(user_file)
