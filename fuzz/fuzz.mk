# Fuzzing (fuzz/README.md). Included by the top Makefile.
#
#   make fuzz                       every fuzz/fuzz_*.c (and fuzz_*.cc once the Thrift oracle
#                                   exists) with clang -fsanitize=fuzzer,address,undefined into
#                                   build-fuzz/
#   make fuzz-run FUZZ_SECONDS=N    run each for N seconds on a scratch copy of corpus/<name>/
#   make fuzz-replay                every corpus file (and tests/data/*.bin) through every
#                                   harness, built with the standalone driver: clang ASan+UBSan
#                                   (build-asan/fuzz/) and gcc (build/fuzz/); part of `make check`
#   make fuzz-ci                    fuzz-run for 60 s per harness; part of `make check`
#   make fuzz-seeds                 regenerate corpus/*/seed_* and tests/data/[yn]_*.bin

FUZZ_DIR        := build-fuzz
FUZZ_CC         ?= clang
FUZZ_CXX        ?= clang++
FUZZ_SECONDS    ?= 60
# FUZZ_JOBS=N runs N libFuzzer processes per harness (logs in build-fuzz/run/<name>/)
FUZZ_JOBS       ?=
# Extra libFuzzer flags for fuzz-run, e.g. FUZZ_FLAGS=-max_len=65536
FUZZ_FLAGS      ?=
FUZZ_SAN        := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_LIB_CFLAGS := -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_ASAN_FLAGS ?= $(if $(ASAN_FLAGS),$(ASAN_FLAGS),-O1 -g $(FUZZ_SAN))
FUZZ_CXXFLAGS   := -std=c++17 -Wall -Wextra $(WERROR) -Wshadow -D_POSIX_C_SOURCE=200809L -Iinclude -Itests/support
# Shared with the Check suites: tests/support/ (fuzz_common.h, compact_writer.h, seed_shapes.h).
FUZZ_HDRS       := tests/support/fuzz_common.h tests/support/compact_writer.h tests/support/seed_shapes.h

# Harnesses: fuzz/fuzz_<name>.c, plus fuzz/fuzz_<name>.cc when the oracle library is there
# (tests/oracle/oracle.mk sets ORACLE_LIB_OBJS and ORACLE_LIBS).
FUZZ_C_NAMES    := $(basename $(notdir $(sort $(wildcard fuzz/fuzz_*.c))))
FUZZ_CXX_NAMES  := $(if $(ORACLE_LIB_OBJS),$(basename $(notdir $(sort $(wildcard fuzz/fuzz_*.cc)))))
FUZZ_NAMES      := $(FUZZ_C_NAMES) $(FUZZ_CXX_NAMES)
FUZZ_ORACLE_INC  = -I$(ORACLE_GEN) -Itests/oracle

FUZZ_TARGETS    += $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)
CLEAN_DIRS      += $(FUZZ_DIR)

.PHONY: fuzz-bins fuzz-run fuzz-ci fuzz-replay fuzz-replay-bins fuzz-replay-run fuzz-seeds

## fuzz: build the libFuzzer harnesses (clang, ASan+UBSan) into build-fuzz/
fuzz:
	$(MAKE) BUILD=$(FUZZ_DIR) CC=$(FUZZ_CC) CXX=$(FUZZ_CXX) CFLAGS="$(FUZZ_LIB_CFLAGS)" fuzz-bins

# Inside that sub-make $(LIB) is build-fuzz/libpqfoot.a, built with the flags above.
fuzz-bins: $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)

$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.c $(LIB) $(FUZZ_HDRS)
	$(FUZZ_CC) $(PQF_CFLAGS) -Itests/support -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer $< -o $@ $(LIB) $(LIBS) -lpthread

$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.cc $(LIB) $(FUZZ_HDRS) $(ORACLE_GEN_STAMP) $(ORACLE_LIB_OBJS)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) $(FUZZ_ORACLE_INC) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer $< -o $@ \
	    $(ORACLE_LIB_OBJS) $(LIB) $(ORACLE_LIBS) $(LIBS) -lpthread

## fuzz-run: run each harness FUZZ_SECONDS (default 60) on a scratch copy of its corpus
fuzz-run: fuzz
	@mkdir -p $(FUZZ_DIR)/run
	@set -e; for t in $(FUZZ_NAMES); do \
	    run=$(FUZZ_DIR)/run/$$t; mkdir -p $$run/corpus $$run/artifacts; \
	    if [ -d corpus/$$t ]; then cp -n corpus/$$t/* $$run/corpus/ 2>/dev/null || true; fi; \
	    dict=; if [ -f fuzz/$$t.dict ]; then dict=-dict=$(CURDIR)/fuzz/$$t.dict; fi; \
	    echo "== $$t: $(FUZZ_SECONDS) s, log in $$run/log.txt"; \
	    if ! (cd $$run && $(CURDIR)/$(FUZZ_DIR)/$$t $$dict -max_total_time=$(FUZZ_SECONDS) \
	        -timeout=25 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=artifacts/ \
	        $(if $(FUZZ_JOBS),-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS)) $(FUZZ_FLAGS) corpus \
	        > log.txt 2>&1); then \
	        tail -60 $$run/log.txt; ls -l $$run/artifacts; \
	        echo "fuzz-run: $$t FAILED (reproducer in $$run/artifacts/)"; exit 1; \
	    fi; \
	    grep -h -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done' $$run/log.txt $$run/fuzz-*.log \
	        2>/dev/null || true; \
	done

## fuzz-ci: each harness for 60 s (part of make check)
fuzz-ci:
	$(MAKE) fuzz-run FUZZ_SECONDS=60 FUZZ_JOBS=

# ------------------------------------------------------------------ replay ---

FUZZ_REPLAY_INPUTS = $(wildcard corpus/fuzz_*) $(wildcard tests/data/*.bin)

## fuzz-replay: every corpus file through every harness (standalone driver; clang ASan+UBSan, gcc)
fuzz-replay:
	$(MAKE) BUILD=build-asan CC=clang CXX=clang++ CFLAGS="$(FUZZ_ASAN_FLAGS)" \
	    LDFLAGS="-fsanitize=address,undefined" fuzz-replay-run
	$(MAKE) fuzz-replay-run

fuzz-replay-bins: $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)

fuzz-replay-run: fuzz-replay-bins
	@set -e; for t in $(FUZZ_NAMES); do \
	    $(TEST_RUNNER) $(BUILD)/fuzz/$$t $(FUZZ_REPLAY_INPUTS); \
	done

$(BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/standalone_main.c $(LIB) $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(CC) $(PQF_CFLAGS) -Itests/support $(CFLAGS) $< fuzz/standalone_main.c -o $@ $(LIB) $(LIBS) -lpthread $(LDFLAGS)

$(BUILD)/fuzz/standalone_main.o: fuzz/standalone_main.c
	@mkdir -p $(@D)
	$(CC) $(PQF_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.cc $(BUILD)/fuzz/standalone_main.o $(LIB) $(FUZZ_HDRS) $(ORACLE_GEN_STAMP) $(ORACLE_LIB_OBJS)
	@mkdir -p $(@D)
	$(CXX) $(FUZZ_CXXFLAGS) $(FUZZ_ORACLE_INC) $(CFLAGS) $< $(BUILD)/fuzz/standalone_main.o -o $@ \
	    $(ORACLE_LIB_OBJS) $(LIB) $(ORACLE_LIBS) $(LIBS) -lpthread $(LDFLAGS)

# ------------------------------------------------------------------- seeds ---

$(BUILD)/fuzz/make_seeds: fuzz/make_seeds.c tests/support/seed_shapes.h tests/support/compact_writer.h
	@mkdir -p $(@D)
	$(CC) $(PQF_CFLAGS) -Itests/support $(CFLAGS) $< -o $@ $(LDFLAGS)

## fuzz-seeds: regenerate corpus/*/seed_* and tests/data/[yn]_*.bin (crash reproducers stay)
fuzz-seeds: $(BUILD)/fuzz/make_seeds
	rm -f corpus/fuzz_footer/seed_* corpus/fuzz_tail/seed_* corpus/fuzz_diff/seed_*
	$(BUILD)/fuzz/make_seeds corpus
	$(BUILD)/fuzz/make_seeds --data tests/data
	@set -e; files="$(wildcard tests/data/*.parquet)"; \
	if [ -n "$$files" ]; then $(BUILD)/fuzz/make_seeds --cut corpus $$files; fi

CHECK_TARGETS += fuzz-replay fuzz-ci
