# The pqfoot command-line tool (tools/), its golden-output tests (tests/cli/)
# and its demo. Included by the top Makefile.
#
# Only tools/pqfoot_main.c, tools/cli_*.c and tools/cmd_*.c are CLI sources;
# other files in tools/ (install-deps.sh, ...) belong to other jobs.

CLI_SRC := tools/pqfoot_main.c $(sort $(wildcard tools/cli_*.c tools/cmd_*.c))
CLI_OBJ := $(CLI_SRC:tools/%.c=$(BUILD)/obj/tools/%.o)
CLI_BIN := $(BUILD)/pqfoot
DEMO_EXAMPLE := corpus/examples/example.parquet

$(BUILD)/obj/tools/%.o: tools/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(PQF_CFLAGS) -Itools $(CFLAGS) -c $< -o $@

$(CLI_BIN): $(CLI_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CLI_OBJ) -o $@ $(LIB) $(LIBS) $(LDFLAGS)

ALL_TARGETS += $(CLI_BIN)

.PHONY: cli-tests cli-tests-asan cli-tests-update demo-cli

## cli-tests: run build/pqfoot on small files and diff against tests/cli/expected/
cli-tests: $(CLI_BIN)
	@bash tests/cli/run.sh $(CLI_BIN)

## cli-tests-asan: the same golden tests with the CLI built under ASan+UBSan
cli-tests-asan:
	$(MAKE) asan
	@bash tests/cli/run.sh build-asan/pqfoot

## cli-tests-update: rewrite tests/cli/expected/ from the current output (review the diff!)
cli-tests-update: $(CLI_BIN)
	@bash tests/cli/run.sh --update $(CLI_BIN)

## demo-cli: dump and stat the bundled example footer
demo-cli: $(CLI_BIN)
	@if [ ! -f $(DEMO_EXAMPLE) ]; then \
	    echo "demo-cli: $(DEMO_EXAMPLE) is missing; it is generated with the oracle" \
	         "(tests/oracle/); nothing to show" >&2; exit 1; fi
	$(CLI_BIN) dump $(DEMO_EXAMPLE)
	$(CLI_BIN) stat $(DEMO_EXAMPLE)

CHECK_TARGETS += cli-tests cli-tests-asan
DEMO_TARGETS  += demo-cli

-include $(CLI_OBJ:.o=.d)
