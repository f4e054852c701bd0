/* safetensors header. cJSON escapes the names; shapes and offsets are written as raw integer text
 * because cJSON prints numbers above 2^31 through "%1.15g", which turns 10^15 into 1e+15. */
#include "safetensors.h"

#include "dtypes.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAFETENSORS_ALIGN 8

static cJSON *raw_u64(uint64_t v)
{
    char text[24];
    snprintf(text, sizeof text, "%" PRIu64, v);
    return cJSON_CreateRaw(text);
}

/* Adds item to parent (array when key is NULL); 0 on success. Takes ownership of item in every case. */
static int add(cJSON *parent, const char *key, cJSON *item)
{
    if (!item) return -1;
    if (key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item)) return 0;
    cJSON_Delete(item);
    return -1;
}

static cJSON *tensor_json(const cli_entry *e)
{
    cJSON *t = cJSON_CreateObject(), *shape = NULL, *offsets = NULL;
    int bad = !t || !cJSON_AddStringToObject(t, "dtype", cli_dtype_safetensors(e->desc.dtype)) ||
              !(shape = cJSON_AddArrayToObject(t, "shape")) || !(offsets = cJSON_AddArrayToObject(t, "data_offsets"));
    for (int d = 0; d < e->desc.rank && !bad; d++) bad = add(shape, NULL, raw_u64((uint64_t)e->desc.shape[d]));
    bad = bad || add(offsets, NULL, raw_u64(e->offset)) ||
          add(offsets, NULL, raw_u64(e->offset + e->numel * clinit_dtype_size(e->desc.dtype)));
    if (!bad) return t;
    cJSON_Delete(t);
    return NULL;
}

static cJSON *metadata_json(uint64_t seed, int generation_version, const char *const *keys, const char *const *values,
                            size_t n)
{
    char generator[64], seed_text[24], generation[16];
    snprintf(generator, sizeof generator, "clinit %s", clinit_version_string());
    snprintf(seed_text, sizeof seed_text, "%" PRIu64, seed);
    /* The generation contract the values follow (docs/ALGORITHMS.md): the same seed reproduces them only under
     * the same contract version. */
    snprintf(generation, sizeof generation, "%d", generation_version);
    cJSON *meta = cJSON_CreateObject();
    if (meta && cJSON_AddStringToObject(meta, "format", "pt") &&
        cJSON_AddStringToObject(meta, "generator", generator) && cJSON_AddStringToObject(meta, "seed", seed_text) &&
        cJSON_AddStringToObject(meta, "clinit_generation", generation)) {
        size_t i = 0;
        while (i < n && cJSON_AddStringToObject(meta, keys[i], values[i])) i++;
        if (i == n) return meta;
    }
    cJSON_Delete(meta);
    return NULL;
}

unsigned char *cli_safetensors_header(const cli_manifest *m, uint64_t seed, size_t *size)
{
    return cli_safetensors_header_meta(m, seed, NULL, NULL, 0, size);
}

unsigned char *cli_safetensors_header_meta(const cli_manifest *m, uint64_t seed, const char *const *keys,
                                           const char *const *values, size_t n, size_t *size)
{
    cJSON *root = cJSON_CreateObject();
    int bad = !root || add(root, "__metadata__", metadata_json(seed, cli_manifest_generation(m), keys, values, n));
    for (size_t i = 0; i < m->count && !bad; i++) bad = add(root, m->entries[i].name, tensor_json(&m->entries[i]));
    char *json = bad ? NULL : cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!json) return NULL;
    size_t len = strlen(json);
    size_t padded = (len + SAFETENSORS_ALIGN - 1) / SAFETENSORS_ALIGN * SAFETENSORS_ALIGN;
    unsigned char *header = malloc(8 + padded);
    if (header) {
        for (int b = 0; b < 8; b++) header[b] = (unsigned char)((uint64_t)padded >> (8 * b));
        memcpy(header + 8, json, len);
        memset(header + 8 + len, ' ', padded - len);
        *size = 8 + padded;
    }
    free(json);
    return header;
}
