# The examples (examples/*.c, the quick start in include/pqfoot.h's header comment) and the
# dataset demo. Included by the top Makefile.
#
#   make demo-dataset   copy the small test files into build/demo-dataset/,
#                       index them and sample random row groups from the index
#   make examples-check build and run examples/quickstart.c and the header's example with
#                       the project's flags (part of `make check`)
#   make install-check  install into two scratch prefixes and build quickstart.c (pqfoot.h) and
#                       sample_rowgroups.c (pqfoot_dataset.h) against the second with
#                       `pkg-config --static` (part of `make check`)

SAMPLE_BIN   := $(BUILD)/sample_rowgroups
DEMO_DATASET := $(BUILD)/demo-dataset

$(SAMPLE_BIN): examples/sample_rowgroups.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(PQF_CFLAGS) $(CFLAGS) $< -o $@ $(LIB) $(LIBS) $(LDFLAGS)

ALL_TARGETS += $(SAMPLE_BIN)

.PHONY: demo-dataset
## demo-dataset: index a small generated dataset and sample row groups from it
demo-dataset: $(SAMPLE_BIN) $(BUILD)/pqfoot
	@rm -rf $(DEMO_DATASET) && mkdir -p $(DEMO_DATASET)/more
	@n=0; for f in tests/data/*.parquet corpus/examples/example.parquet; do \
	    if [ -f "$$f" ]; then cp "$$f" $(DEMO_DATASET)/; n=$$((n + 1)); fi; done; \
	if [ $$n -eq 0 ]; then echo "demo-dataset: no Parquet files in tests/data or corpus/examples" >&2; exit 1; fi
	@for i in 1 2 3; do for f in $(DEMO_DATASET)/*.parquet; do \
	    cp "$$f" "$(DEMO_DATASET)/more/$$i-$$(basename $$f)"; done; done
	$(BUILD)/pqfoot index build $(DEMO_DATASET) -o $(DEMO_DATASET)/data.pqfi -j 2
	$(BUILD)/pqfoot index info $(DEMO_DATASET)/data.pqfi
	$(BUILD)/pqfoot index verify $(DEMO_DATASET)/data.pqfi
	$(SAMPLE_BIN) $(DEMO_DATASET)/data.pqfi --draws 20000

DEMO_TARGETS += demo-dataset

# ------------------------------------------------------------ examples-check ---

EXAMPLES_DIR  := $(BUILD)/examples
EXAMPLE_INPUT := tests/cli/data/crafted.parquet

$(EXAMPLES_DIR)/quickstart: examples/quickstart.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(PQF_CFLAGS) $(CFLAGS) $< -o $@ $(LIB) $(LIBS) $(LDFLAGS)

# The code block between "Quick start:" and "Build:" in the header comment, unindented.
$(EXAMPLES_DIR)/header_example.c: include/pqfoot.h
	@mkdir -p $(@D)
	sed -n '/^ \* Quick start:/,/^ \* Build:/s/^ \*     //p' $< > $@
	@grep -q 'int main' $@ || { echo "$@: no example found in $<" >&2; rm -f $@; exit 1; }

$(EXAMPLES_DIR)/header_example: $(EXAMPLES_DIR)/header_example.c $(LIB)
	$(CC) $(PQF_CFLAGS) $(CFLAGS) $< -o $@ $(LIB) $(LIBS) $(LDFLAGS)

.PHONY: examples-check install-check
## examples-check: build examples/quickstart.c and the header's example; run both on a test file
examples-check: $(EXAMPLES_DIR)/quickstart $(EXAMPLES_DIR)/header_example
	@set -e; for x in quickstart header_example; do \
	    out=$$($(EXAMPLES_DIR)/$$x $(EXAMPLE_INPUT)); \
	    lines=$$(printf '%s\n' "$$out" | grep -c 'bytes'); \
	    if [ "$$lines" -lt 2 ]; then echo "examples-check: $$x printed:" >&2; \
	        printf '%s\n' "$$out" >&2; exit 1; fi; \
	    if $(EXAMPLES_DIR)/$$x tests/cli/data/missing.parquet 2>/dev/null; then \
	        echo "examples-check: $$x succeeded on a missing file" >&2; exit 1; fi; \
	    if $(EXAMPLES_DIR)/$$x 2>/dev/null; then \
	        echo "examples-check: $$x succeeded without an argument" >&2; exit 1; fi; \
	    echo "examples-check: $$x OK ($$lines lines)"; done

# ------------------------------------------------------------- install-check ---

INSTALL_CHECK := $(CURDIR)/$(BUILD)/install-check

## install-check: `make install` to two scratch PREFIXes; build quickstart.c and sample_rowgroups.c with pkg-config --static
install-check: lib-and-tools
	@rm -rf $(INSTALL_CHECK) && mkdir -p $(INSTALL_CHECK)
	$(MAKE) --no-print-directory install PREFIX=$(INSTALL_CHECK)/first > $(INSTALL_CHECK)/first.log
	$(MAKE) --no-print-directory install PREFIX=$(INSTALL_CHECK)/second > $(INSTALL_CHECK)/second.log
	@set -e; pc=$(INSTALL_CHECK)/second/lib/pkgconfig; \
	grep -qx 'prefix=$(INSTALL_CHECK)/second' $$pc/pqfoot.pc || \
	    { echo "install-check: pqfoot.pc does not name the second PREFIX:" >&2; cat $$pc/pqfoot.pc >&2; exit 1; }; \
	flags=$$(PKG_CONFIG_PATH=$$pc pkg-config --cflags --libs --static pqfoot); \
	echo "install-check: pkg-config --cflags --libs --static pqfoot: $$flags"; \
	for l in -lzstd -lxxhash -lpqfoot; do n=$$(printf '%s\n' $$flags | grep -cx -- "$$l"); \
	    [ "$$n" -eq 1 ] || { echo "install-check: $$l appears $$n times" >&2; exit 1; }; done; \
	$(CC) $(CFLAGS) examples/quickstart.c -o $(INSTALL_CHECK)/quickstart $$flags $(LDFLAGS); \
	$(INSTALL_CHECK)/quickstart $(EXAMPLE_INPUT) > $(INSTALL_CHECK)/quickstart.out; \
	grep -q '^row group 0, ' $(INSTALL_CHECK)/quickstart.out; \
	test -f $(INSTALL_CHECK)/second/include/pqfoot_dataset.h; \
	$(CC) $(CFLAGS) examples/sample_rowgroups.c -o $(INSTALL_CHECK)/sample_rowgroups $$flags $(LDFLAGS); \
	mkdir -p $(INSTALL_CHECK)/data; cp $(EXAMPLE_INPUT) $(INSTALL_CHECK)/data/; \
	$(INSTALL_CHECK)/sample_rowgroups $(INSTALL_CHECK)/data.pqfi --build $(INSTALL_CHECK)/data --draws 3 \
	    > $(INSTALL_CHECK)/sample_rowgroups.out; \
	test -x $(INSTALL_CHECK)/second/bin/pqfoot; \
	echo "install-check: OK (quickstart and sample_rowgroups built against $(INSTALL_CHECK)/second)"

CHECK_TARGETS += examples-check install-check
