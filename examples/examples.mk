# The dataset example (examples/sample_rowgroups.c) and its demo. Included by
# the top Makefile.
#
#   make demo-dataset   copy the small test files into build/demo-dataset/,
#                       index them and sample random row groups from the index

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
