# Check suites: every tests/test_<area>.c is its own Check program (own main via
# tests/check_support.h), built twice: with gcc (build/tests/) and with clang
# ASan+UBSan+LSan (build-asan/tests/). `make check` runs both.

TEST_SRC   := $(sort $(wildcard tests/test_*.c))
TEST_BINS  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

$(BUILD)/tests/%: tests/%.c $(LIB) tests/check_support.h
	@mkdir -p $(@D)
	$(CC) $(PQF_CFLAGS) $(CFLAGS) -Itests -DPQF_TEST_DATA='"tests/data"' $< -o $@ $(LIB) $(LIBS) $(CHECK_LIBS) $(LDFLAGS)

.PHONY: unit-tests unit-tests-asan unit-tests-nowide
## unit-tests: build and run the Check suites with the default compiler
unit-tests: $(TEST_BINS)
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; CK_FORK=yes $$t; done

## unit-tests-asan: the same suites under clang ASan+UBSan+LSan
unit-tests-asan:
	$(MAKE) BUILD=build-asan CC=clang CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	    unit-tests

## unit-tests-nowide: the suites built without the AVX-512 path (-DPQF_NO_WIDE), as on
## other platforms or CPUs
unit-tests-nowide:
	$(MAKE) BUILD=build-nowide CFLAGS="$(OPT) -g -DPQF_NO_WIDE" unit-tests

CHECK_TARGETS += unit-tests unit-tests-asan unit-tests-nowide
