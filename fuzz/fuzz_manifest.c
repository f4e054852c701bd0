/* libFuzzer target: the input bytes as a model manifest (cli_manifest_parse, what cli_manifest_load runs
 * on a file's contents), then the layout and device-fit checks a command would run next. */
#include "cli.h"
#include "manifest.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cli_diag_prefix(NULL); /* the messages are expected; printing them only slows the fuzzer down */
    cli_manifest m;
    if (cli_manifest_parse((const char *)data, size, "fuzz.json", &m) == CLI_OK) {
        /* A loaded manifest is consistent: the totals cover every entry. */
        uint64_t numel = 0;
        for (size_t i = 0; i < m.count; i++) {
            numel += m.entries[i].numel;
            if (m.entries[i].name == NULL) __builtin_trap();
        }
        if (numel != m.total_numel) __builtin_trap();
        size_t bad;
        if (cli_manifest_place(&m, &bad) != 0) __builtin_trap(); /* load already placed it */
        (void)cli_manifest_check_fits(&m, 1u << 20);
        (void)cli_manifest_check_fits(&m, UINT64_MAX);
    }
    cli_manifest_free(&m);
    return 0;
}
