# Apache Thrift C++ oracle and encoder (build/pqf-oracle) -- tests and benchmarks only.
# Never linked into libpqfoot.a and not part of `make all`: the library builds without Thrift.
#
#   make oracle           build build/pqf-oracle (thrift --gen cpp at build time)
#   make oracle-selftest  generate every shape and check the oracle's own decode (in `make check`)
#   make oracle-diff      pqfoot dump --json vs the oracle on every test file (needs build/pqfoot)
#   make oracle-data      regenerate tests/data/*.parquet and corpus/examples/example.parquet
#
# A C++ harness (e.g. a differential fuzzer) links $(ORACLE_LIB_OBJS) with $(ORACLE_LIBS) and
# adds -I$(ORACLE_GEN) -Itests/oracle to its flags; it needs $(ORACLE_GEN_STAMP) built first.

ORACLE_DIR    := tests/oracle
ORACLE_BUILD  := $(BUILD)/oracle
ORACLE_GEN    := $(ORACLE_BUILD)/gen
ORACLE_IDL    := $(ORACLE_DIR)/parquet_footer.thrift
ORACLE_GEN_STAMP := $(ORACLE_GEN)/.stamp
ORACLE_GEN_HDR := $(ORACLE_GEN)/parquet_footer_types.h
THRIFT        ?= thrift
PQF_TESTING   ?= ../shared/parquet-testing

ORACLE_OPT      ?= -O2 -g
ORACLE_EXTRA    ?=
ORACLE_CXXFLAGS := -std=c++17 $(ORACLE_OPT) -Wall -Wextra -Werror -I$(ORACLE_GEN) -I$(ORACLE_DIR) \
                   -MMD -MP $(ORACLE_EXTRA)
# -lthrift for the decoder; gen/check also use zstd (pages) and xxhash (bloom filters).
ORACLE_LIBS     := -lthrift -lzstd -lxxhash

ORACLE_LIB_OBJS := $(ORACLE_BUILD)/parquet_footer_types.o $(ORACLE_BUILD)/oracle_lib.o \
                   $(ORACLE_BUILD)/oracle_gen.o
ORACLE_OBJS     := $(ORACLE_LIB_OBJS) $(ORACLE_BUILD)/oracle_main.o $(ORACLE_BUILD)/oracle_alloc.o
ORACLE          := $(BUILD)/pqf-oracle

.PHONY: oracle oracle-selftest oracle-diff oracle-data

## oracle: build build/pqf-oracle (Apache Thrift C++ oracle, encoder and benchmark baseline)
oracle: $(ORACLE)

$(ORACLE_GEN_STAMP): $(ORACLE_IDL)
	@mkdir -p $(ORACLE_GEN)
	$(THRIFT) --gen cpp:no_skeleton -out $(ORACLE_GEN) $<
	@touch $@

$(ORACLE_GEN_HDR) $(ORACLE_GEN)/parquet_footer_types.cpp: $(ORACLE_GEN_STAMP)

$(ORACLE_BUILD)/parquet_footer_types.o: $(ORACLE_GEN_STAMP)
	$(CXX) $(ORACLE_CXXFLAGS) -c $(ORACLE_GEN)/parquet_footer_types.cpp -o $@

$(ORACLE_BUILD)/%.o: $(ORACLE_DIR)/%.cpp $(ORACLE_GEN_STAMP)
	@mkdir -p $(@D)
	$(CXX) $(ORACLE_CXXFLAGS) -c $< -o $@

$(ORACLE): $(ORACLE_OBJS)
	$(CXX) $(ORACLE_OPT) $(ORACLE_EXTRA) $^ -o $@ $(ORACLE_LIBS) $(LDFLAGS)

## oracle-selftest: generate every shape (S2 included) and check the oracle decodes them consistently
oracle-selftest: $(ORACLE)
	@ORACLE=$(ORACLE) OUT=$(ORACLE_BUILD)/selftest bash $(ORACLE_DIR)/selftest.sh

## oracle-diff: compare `pqfoot dump --json` with the Thrift oracle on every test file
oracle-diff: $(ORACLE) lib-and-tools
	@ORACLE=$(ORACLE) PQFOOT=$(BUILD)/pqfoot OUT=$(ORACLE_BUILD)/diff PQF_TESTING=$(PQF_TESTING) \
	    bash $(ORACLE_DIR)/diff.sh

## oracle-data: regenerate tests/data/*.parquet and corpus/examples/example.parquet
oracle-data: $(ORACLE)
	@ORACLE=$(ORACLE) bash $(ORACLE_DIR)/make-test-data.sh

CHECK_TARGETS += oracle-selftest

-include $(ORACLE_OBJS:.o=.d)

# Differential check against Apache Thrift C++ (added to `make check` by the lead once green).
CHECK_TARGETS += oracle-diff

## oracle-slice-diff: `pqfoot slice`/`slim` outputs decoded by the Thrift oracle and compared with the originals
.PHONY: oracle-slice-diff
oracle-slice-diff: $(ORACLE) lib-and-tools
	@ORACLE=$(ORACLE) PQFOOT=$(BUILD)/pqfoot OUT=$(ORACLE_BUILD)/slice PQF_TESTING=$(PQF_TESTING) \
	    bash $(ORACLE_DIR)/slice-diff.sh
CHECK_TARGETS += oracle-slice-diff
