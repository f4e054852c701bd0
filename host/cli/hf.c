/* Hugging Face's folder layout: the shard plan, names and index of transformers' save_pretrained
 * (huggingface_hub serialization/_base.py split_state_dict_into_shards_factory, parse_size_to_int). */
#include "hf.h"

#include "cli.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cli_hf_is_folder(const char *target)
{
    size_t len = strlen(target);
    struct stat st;
    return (len > 0 && target[len - 1] == '/') || (stat(target, &st) == 0 && S_ISDIR(st.st_mode));
}

int cli_hf_parse_size(const char *flag, const char *text, uint64_t *bytes)
{
    static const struct {
        const char *unit;
        double scale;
    } units[] = {{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}};
    size_t len = strlen(text);
    double scale = 1;
    size_t digits = len;
    for (size_t u = 0; u < sizeof units / sizeof units[0] && len >= 2; u++)
        if (toupper((unsigned char)text[len - 2]) == units[u].unit[0] && toupper((unsigned char)text[len - 1]) == 'B') {
            scale = units[u].scale;
            digits = len - 2;
        }
    /* decimal digits with at most one '.', nothing else: no sign, no exponent, no blanks */
    size_t dots = 0, k = 0;
    for (; k < digits && (isdigit((unsigned char)text[k]) || (text[k] == '.' && dots++ == 0)); k++) {}
    double v = digits && k == digits && strcmp(text, ".") != 0 ? strtod(text, NULL) * scale : NAN;
    if (!(v >= 1 && v < 0x1p64) || (scale == 1 && dots))
        return cli_usage_error("%s \"%s\": not a size: bytes (\"5000000000\") or a number with KB, MB, GB or TB "
                               "(powers of 1000, as transformers' max_shard_size: \"50GB\", \"1.5GB\"), at least 1 "
                               "byte",
                               flag, text);
    *bytes = (uint64_t)v; /* huggingface_hub: int(value * multiplier) */
    return CLI_OK;
}

static uint64_t entry_bytes(const cli_entry *e) { return e->numel * clinit_dtype_size(e->desc.dtype); }

int cli_hf_plan(const cli_manifest *m, uint64_t max_bytes, cli_shards *s)
{
    memset(s, 0, sizeof *s);
    /* shard of each tensor, in the order huggingface_hub appends shards to its list */
    size_t *shard = malloc((m->count ? m->count : 1) * sizeof *shard);
    s->order = malloc((m->count ? m->count : 1) * sizeof *s->order);
    s->begin = calloc(m->count + 1, sizeof *s->begin);
    if (!shard || !s->order || !s->begin) {
        free(shard);
        return cli_runtime_error("out of host memory planning the shards");
    }
    /* A shard gets its number when it is closed (appended to huggingface_hub's list), so that one of a single
     * large tensor precedes the shard being filled meanwhile. `open` lists the tensors of that shard. */
    size_t count = 0, n_open = 0, *open = malloc((m->count ? m->count : 1) * sizeof *open);
    if (!open) {
        free(shard);
        return cli_runtime_error("out of host memory planning the shards");
    }
    uint64_t open_bytes = 0;
    for (size_t i = 0; i <= m->count; i++) {
        uint64_t b = i < m->count ? entry_bytes(&m->entries[i]) : 0;
        if (i < m->count && b > max_bytes) {
            shard[i] = count++;
            continue;
        }
        if (n_open && (i == m->count || open_bytes + b > max_bytes)) { /* close the shard being filled */
            for (size_t j = 0; j < n_open; j++) shard[open[j]] = count;
            count++;
            n_open = 0;
            open_bytes = 0;
        }
        if (i < m->count) {
            open[n_open++] = i;
            open_bytes += b;
        }
    }
    free(open);
    /* counting sort by shard, keeping manifest order inside each */
    for (size_t i = 0; i < m->count; i++) s->begin[shard[i] + 1]++;
    for (size_t k = 0; k < count; k++) s->begin[k + 1] += s->begin[k];
    size_t *next = calloc(count ? count : 1, sizeof *next);
    if (!next) {
        free(shard);
        return cli_runtime_error("out of host memory planning the shards");
    }
    for (size_t i = 0; i < m->count; i++) s->order[s->begin[shard[i]] + next[shard[i]]++] = i;
    free(next);
    free(shard);
    s->count = count;
    return CLI_OK;
}

void cli_hf_shards_free(cli_shards *s)
{
    free(s->order);
    free(s->begin);
    memset(s, 0, sizeof *s);
}

uint64_t cli_hf_shard_bytes(const cli_manifest *m, const cli_shards *s, size_t k)
{
    uint64_t bytes = 0;
    for (size_t j = s->begin[k]; j < s->begin[k + 1]; j++) bytes += entry_bytes(&m->entries[s->order[j]]);
    return bytes;
}

void cli_hf_shard_name(const cli_shards *s, size_t k, char *buf, size_t size)
{
    if (s->count == 1)
        snprintf(buf, size, "model.safetensors");
    else
        snprintf(buf, size, "model-%05zu-of-%05zu.safetensors", k + 1, s->count);
}

int cli_hf_shard_manifest(const cli_manifest *m, const cli_shards *s, size_t k, cli_manifest *sub)
{
    cli_manifest_view(m, sub);
    sub->count = s->begin[k + 1] - s->begin[k];
    sub->entries = malloc((sub->count ? sub->count : 1) * sizeof *sub->entries);
    if (!sub->entries) return cli_runtime_error("out of host memory");
    for (size_t j = 0; j < sub->count; j++) sub->entries[j] = m->entries[s->order[s->begin[k] + j]];
    size_t bad;
    cli_manifest_place(sub, &bad); /* each tensor fit the whole manifest's layout: no overflow here */
    return CLI_OK;
}

void cli_hf_shard_manifest_free(cli_manifest *sub)
{
    free(sub->entries);
    memset(sub, 0, sizeof *sub);
}

static const cli_manifest *sort_m; /* qsort has no context argument in C11 */

static int by_name(const void *a, const void *b)
{
    return strcmp(sort_m->entries[*(const size_t *)a].name, sort_m->entries[*(const size_t *)b].name);
}

/* Appends text to the growing buffer *buf (length *len, capacity *cap); 0, or -1 when out of memory. */
static int append(char **buf, size_t *len, size_t *cap, const char *text)
{
    size_t n = strlen(text);
    if (*len + n + 1 > *cap) {
        size_t cap2 = (*len + n + 1) * 2;
        char *grown = realloc(*buf, cap2);
        if (!grown) return -1;
        *buf = grown;
        *cap = cap2;
    }
    memcpy(*buf + *len, text, n + 1);
    *len += n;
    return 0;
}

/* A JSON string literal of text (cJSON's escaping); NULL when out of memory. */
static char *quoted(const char *text)
{
    cJSON *s = cJSON_CreateString(text);
    char *q = s ? cJSON_PrintUnformatted(s) : NULL;
    cJSON_Delete(s);
    return q;
}

char *cli_hf_index_json(const cli_manifest *m, const cli_shards *s)
{
    size_t *names = malloc((m->count ? m->count : 1) * sizeof *names),
           *file_of = malloc((m->count ? m->count : 1) * sizeof *file_of);
    char *buf = NULL, line[160];
    size_t len = 0, cap = 0;
    int bad = !names || !file_of;
    for (size_t k = 0; k < s->count && !bad; k++)
        for (size_t j = s->begin[k]; j < s->begin[k + 1]; j++) file_of[s->order[j]] = k;
    for (size_t i = 0; i < m->count && !bad; i++) names[i] = i;
    if (!bad) {
        sort_m = m;
        qsort(names, m->count, sizeof *names, by_name);
        snprintf(line, sizeof line,
                 "{\n  \"metadata\": {\n    \"total_size\": %" PRIu64 "\n  },\n  \"weight_map\": {\n", m->total_bytes);
        bad = append(&buf, &len, &cap, line);
    }
    for (size_t i = 0; i < m->count && !bad; i++) {
        char file[64], *qname = quoted(m->entries[names[i]].name);
        cli_hf_shard_name(s, file_of[names[i]], file, sizeof file);
        snprintf(line, sizeof line, ": \"%s\"%s\n", file, i + 1 < m->count ? "," : "");
        bad = !qname || append(&buf, &len, &cap, "    ") || append(&buf, &len, &cap, qname) ||
              append(&buf, &len, &cap, line);
        free(qname);
    }
    if (!bad) bad = append(&buf, &len, &cap, "  }\n}\n");
    free(names);
    free(file_of);
    if (!bad) return buf;
    free(buf);
    return NULL;
}
