# make bench: pqfoot vs Apache Thrift C++ on generated seed-shaped footers (issue: benchmarks).
# Prints the table and rewrites bench/RESULTS.md. Not part of `make check`: benchmarks report,
# tests verify.

BENCH_REPS ?= 21
BENCH_ROUNDS ?= 7
BENCH_RSS_FILES ?= 200

$(BUILD)/pqf_bench: bench/pqf_bench.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(PQF_CFLAGS) $(CFLAGS) $< -o $@ $(LIB) $(LIBS)

.PHONY: bench-run
bench-run: $(BUILD)/pqf_bench oracle
	BUILD=$(BUILD) BENCH_REPS=$(BENCH_REPS) BENCH_ROUNDS=$(BENCH_ROUNDS) BENCH_RSS_FILES=$(BENCH_RSS_FILES) bash bench/run.sh

## bench-dataset: 100 S2 files, 15-column projection: index build, size, load time, memory
.PHONY: bench-dataset
bench-dataset: $(LIB) oracle lib-and-tools
	BUILD=$(BUILD) bash bench/dataset_bench.sh

BENCH_TARGETS += bench-run
CLEAN_DIRS += build/bench

## bench-slice: pqf_footer_slice() of 1 row group x 3 columns of S2 and pqf_footer_slim() of S2
$(BUILD)/slice_bench: bench/slice_bench.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(PQF_CFLAGS) $(CFLAGS) $< -o $@ $(LIB) $(LIBS)

.PHONY: bench-slice
bench-slice: $(BUILD)/slice_bench oracle
	@mkdir -p $(BUILD)/bench
	@[ -s $(BUILD)/bench/S2.parquet ] || $(BUILD)/pqf-oracle gen S2 $(BUILD)/bench/S2.parquet
	$(BUILD)/slice_bench $(BUILD)/bench/S2.parquet > $(BUILD)/bench/slice.txt
	@cat $(BUILD)/bench/slice.txt

BENCH_TARGETS += bench-slice

## bench-prune: one predicate pruned over 100 S2 files (hard links of one) indexed with the statistics
## of c0 (target <= 1 ms per predicate), and one file's decode with and without statistics kept.
PRUNE_FILES ?= 100
PRUNE_REPS ?= 201
PRUNE_DIR ?= $(BUILD)/bench/prune-s2

$(BUILD)/bench/prune_bench: bench/prune_bench.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(PQF_CFLAGS) $(CFLAGS) $< -o $@ $(LIB) $(LIBS)

.PHONY: bench-prune
bench-prune: $(BUILD)/bench/prune_bench oracle
	@mkdir -p $(PRUNE_DIR)
	[ -s $(BUILD)/bench/S2.parquet ] || $(BUILD)/pqf-oracle gen S2 $(BUILD)/bench/S2.parquet
	@for i in $$(seq 1 $(PRUNE_FILES)); do \
	    f=$$(printf '%s/s2-%03d.parquet' $(PRUNE_DIR) $$i); \
	    [ -e $$f ] || ln $(BUILD)/bench/S2.parquet $$f 2>/dev/null || cp $(BUILD)/bench/S2.parquet $$f; \
	done
	$(BUILD)/bench/prune_bench $(PRUNE_DIR) $(BUILD)/bench/prune-s2.pqfi --reps $(PRUNE_REPS) \
	    > $(BUILD)/bench/prune.txt
	@cat $(BUILD)/bench/prune.txt

BENCH_TARGETS += bench-prune

# Last in `make bench`: bench-run rewrote bench/RESULTS.md; the slice and prune figures of this
# same run are appended to it, and the Python loader figures are pointed to (make bench-python).
.PHONY: bench-results
bench-results:
	@{ echo; echo "## Slices and slim (make bench-slice)"; echo; echo '```'; \
	   cat $(BUILD)/bench/slice.txt; echo '```'; \
	   echo; echo "## Pruning (make bench-prune)"; echo; echo '```'; \
	   cat $(BUILD)/bench/prune.txt; echo '```'; \
	   echo; echo "## Python loaders"; echo; \
	   echo "\`make bench-python\` (it needs the test venv) writes [RESULTS-python.md](RESULTS-python.md)."; \
	 } >> bench/RESULTS.md
	@echo "appended the slice and prune figures to bench/RESULTS.md"

BENCH_TARGETS += bench-results
