/* Model manifests. The whole file is validated before anything is created, so that a typo in tensor
 * 150 costs a second, not a device context and half a written file. Every message names the file, the
 * tensor (index and name) and the field, the way a compiler names file, line and column. */
#include "manifest.h"

#include "args.h"
#include "cli.h"
#include "spec.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Integers beyond 2^53 do not survive JSON's doubles exactly: refuse them rather than round them. */
#define JSON_MAX_EXACT 9007199254740992.0

typedef struct loader {
    const char *path;
    cli_manifest *m;
    const char **fan_from;     /* per tensor: the "fan_from" name, or NULL */
    unsigned char *has_fan_in; /* per tensor: params gave fan_in */
    size_t *by_name;           /* tensor indices sorted by name */
} loader;

/* "path: tensors[i] "name": field: message" (index < 0: a top-level field; field NULL: none). */
static int fail(const loader *L, long index, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(const loader *L, long index, const char *field, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char where[1200] = "";
    if (index >= 0) {
        const char *name = L->m->entries ? L->m->entries[index].name : NULL;
        int n = snprintf(where, sizeof where, "tensors[%ld]", index);
        if (name) snprintf(where + n, sizeof where - (size_t)n, " \"%s\"", name);
    }
    return cli_usage_error("%s: %s%s%s%s%s", L->path, where, *where ? ": " : "", field ? field : "", field ? ": " : "",
                           msg);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        char *grown = cap <= SIZE_MAX / 4 ? realloc(buf, cap * 2 + 1) : NULL;
        if (!grown) free(buf);
        buf = grown;
        cap *= 2;
    }
    int err = buf ? ferror(f) : 1;
    if (fclose(f) != 0) err = 1;
    if (err) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int json_syntax_error(const loader *L, const char *text, const char *at)
{
    long line = 1, col = 1;
    for (const char *p = text; at && p < at; p++) {
        col = *p == '\n' ? 1 : col + 1;
        line += *p == '\n';
    }
    return fail(L, -1, NULL, "invalid JSON near line %ld, column %ld", line, col);
}

/* The member `key` of obj, or NULL; a repeated key is an error (JSON leaves its meaning to the reader). */
static int member(const loader *L, long index, const cJSON *obj, const char *key, const cJSON **out)
{
    *out = NULL;
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (strcmp(c->string, key) != 0) continue;
        if (*out) return fail(L, index, key, "given twice");
        *out = c;
    }
    return CLI_OK;
}

/* A non-negative integer at most `max` and exactly representable. */
static int json_uint(const cJSON *v, double max, uint64_t *out)
{
    if (!cJSON_IsNumber(v)) return -1;
    double d = v->valuedouble;
    if (!(d >= 0) || d > max || d > JSON_MAX_EXACT || floor(d) != d) return -1;
    *out = (uint64_t)d;
    return 0;
}

static int parse_seed(const loader *L, const cJSON *v)
{
    if (!v) return CLI_OK;
    int ok = cJSON_IsString(v) ? cli_parse_u64(v->valuestring, &L->m->seed) == 0
                               : json_uint(v, JSON_MAX_EXACT, &L->m->seed) == 0;
    if (ok) return CLI_OK;
    return fail(L, -1, "seed",
                "not an unsigned integer (a number up to 2^53, or a string \"123\" / \"0x7b\" up to 2^64-1)");
}

static int parse_layout(const loader *L, long index, const cJSON *v, clinit_layout *out)
{
    if (!v) return CLI_OK;
    if (cJSON_IsString(v) && cli_parse_layout(v->valuestring, out) == 0) return CLI_OK;
    return fail(L, index, "layout", "not \"oi\" or \"io\"");
}

static int parse_name(const loader *L, long index, const cJSON *v, cli_entry *e)
{
    if (!v) return fail(L, index, "name", "missing");
    if (!cJSON_IsString(v) || !v->valuestring[0]) return fail(L, index, "name", "not a non-empty string");
    /* safetensors keeps its metadata under this key of the same JSON object. */
    if (strcmp(v->valuestring, "__metadata__") == 0) return fail(L, index, "name", "\"__metadata__\" is reserved");
    e->name = strdup(v->valuestring);
    return e->name ? CLI_OK : cli_runtime_error("out of host memory");
}

static int parse_shape(const loader *L, long index, const cJSON *v, cli_entry *e)
{
    if (!v) return fail(L, index, "shape", "missing");
    if (!cJSON_IsArray(v)) return fail(L, index, "shape", "not an array of integers");
    int rank = cJSON_GetArraySize(v);
    if (rank > CLINIT_MAX_RANK) return fail(L, index, "shape", "rank %d is more than %d", rank, CLINIT_MAX_RANK);
    int d = 0;
    for (const cJSON *c = v->child; c; c = c->next, d++) {
        uint64_t dim;
        if (json_uint(c, JSON_MAX_EXACT, &dim) != 0)
            return fail(L, index, "shape", "dimension %d is not a non-negative integer below 2^53", d);
        e->shape[d] = (int64_t)dim;
    }
    e->rank = rank;
    return CLI_OK;
}

/* split_dim: which dimension tensor parallelism splits (docs/MPI.md); absent or null: replicated. `clinit init`
 * checks it too, so that one manifest serves the single-process and the sharded tool alike. */
static int parse_split_dim(const loader *L, long index, const cJSON *v, cli_entry *e)
{
    e->split_dim = -1;
    if (!v || cJSON_IsNull(v)) return CLI_OK;
    double d = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    if (!(floor(d) == d)) return fail(L, index, "split_dim", "not an integer or null");
    if (d < 0 || d >= e->rank) {
        if (e->rank == 0) return fail(L, index, "split_dim", "a scalar cannot be split: give null");
        return fail(L, index, "split_dim", "%.17g is not a dimension of the rank-%d shape: give 0..%d, or null", d,
                    e->rank, e->rank - 1);
    }
    e->split_dim = (int)d;
    return CLI_OK;
}

static int parse_dtype(const loader *L, long index, const cJSON *v)
{
    if (!v || (cJSON_IsString(v) && strcmp(v->valuestring, "f32") == 0)) return CLI_OK;
    return fail(L, index, "dtype", "only \"f32\" is generated in this version");
}

static int parse_init(const loader *L, long index, const cJSON *v, cli_entry *e)
{
    if (!v) return fail(L, index, "init", "missing");
    clinit_init_kind kind;
    if (!cJSON_IsString(v) || clinit_init_from_name(v->valuestring, &kind) != CLINIT_SUCCESS)
        return fail(L, index, "init", "%s%s%s is not one of %s", cJSON_IsString(v) ? "\"" : "",
                    cJSON_IsString(v) ? v->valuestring : "the value", cJSON_IsString(v) ? "\"" : "", cli_init_names());
    e->spec = clinit_init_spec_default(kind);
    return CLI_OK;
}

/* Numbers go to clinit_init_spec_set as text that reads back to the same double. */
static int parse_params(const loader *L, long index, const cJSON *v, cli_entry *e)
{
    if (!v) return CLI_OK;
    if (!cJSON_IsObject(v)) return fail(L, index, "params", "not an object");
    for (const cJSON *p = v->child; p; p = p->next) {
        char field[128], text[64], why[1024];
        snprintf(field, sizeof field, "params.%s", p->string);
        for (const cJSON *q = v->child; q != p; q = q->next)
            if (strcmp(q->string, p->string) == 0) return fail(L, index, field, "given twice");
        const char *value = text;
        if (cJSON_IsString(p)) value = p->valuestring;
        else if (!cJSON_IsNumber(p)) return fail(L, index, field, "not a number or a string");
        else if (strcmp(p->string, "fan_in") == 0 && floor(p->valuedouble) == p->valuedouble &&
                 fabs(p->valuedouble) < 9.2e18)
            snprintf(text, sizeof text, "%lld", (long long)p->valuedouble);
        else snprintf(text, sizeof text, "%.17g", p->valuedouble);
        if (cli_spec_set(&e->spec, p->string, value, why, sizeof why) != 0) return fail(L, index, field, "%s", why);
        if (strcmp(p->string, "fan_in") == 0) L->has_fan_in[index] = 1;
    }
    return CLI_OK;
}

static int check_keys(const loader *L, long index, const cJSON *t)
{
    static const char *const allowed[] = {"name", "shape", "init", "params", "fan_from", "layout", "dtype",
                                          "split_dim"};
    for (const cJSON *c = t->child; c; c = c->next) {
        size_t i = 0;
        while (i < sizeof allowed / sizeof allowed[0] && strcmp(allowed[i], c->string) != 0) i++;
        if (i == sizeof allowed / sizeof allowed[0])
            return fail(L, index, c->string,
                        "unknown key (known: name, shape, init, params, fan_from, layout, dtype, split_dim)");
    }
    return CLI_OK;
}

/* Everything of one tensor that needs no other tensor. */
static int parse_tensor(const loader *L, long index, const cJSON *t, clinit_layout default_layout)
{
    cli_entry *e = &L->m->entries[index];
    e->layout = default_layout;
    if (!cJSON_IsObject(t)) return fail(L, index, NULL, "not an object");
    const cJSON *name = NULL, *shape = NULL, *init = NULL, *params = NULL, *fan_from = NULL, *layout = NULL,
                *dtype = NULL, *split_dim = NULL;
    int rc = member(L, index, t, "name", &name);
    if (rc == CLI_OK) rc = parse_name(L, index, name, e);
    if (rc == CLI_OK) rc = check_keys(L, index, t);
    if (rc == CLI_OK) rc = member(L, index, t, "shape", &shape);
    if (rc == CLI_OK) rc = member(L, index, t, "init", &init);
    if (rc == CLI_OK) rc = member(L, index, t, "params", &params);
    if (rc == CLI_OK) rc = member(L, index, t, "fan_from", &fan_from);
    if (rc == CLI_OK) rc = member(L, index, t, "layout", &layout);
    if (rc == CLI_OK) rc = member(L, index, t, "dtype", &dtype);
    if (rc == CLI_OK) rc = member(L, index, t, "split_dim", &split_dim);
    if (rc == CLI_OK) rc = parse_shape(L, index, shape, e);
    if (rc == CLI_OK) rc = parse_split_dim(L, index, split_dim, e);
    if (rc == CLI_OK) rc = parse_layout(L, index, layout, &e->layout);
    if (rc == CLI_OK) rc = parse_dtype(L, index, dtype);
    if (rc == CLI_OK) rc = parse_init(L, index, init, e);
    if (rc == CLI_OK) rc = parse_params(L, index, params, e);
    if (rc == CLI_OK && fan_from) {
        if (!cJSON_IsString(fan_from)) return fail(L, index, "fan_from", "not a string");
        L->fan_from[index] = fan_from->valuestring;
    }
    return rc;
}

static const cli_manifest *sort_manifest; /* qsort has no context argument in C11 */

static int by_name_cmp(const void *x, const void *y)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    int c = strcmp(sort_manifest->entries[i].name, sort_manifest->entries[j].name);
    return c ? c : (i > j) - (i < j);
}

/* Sorts the names once: duplicates become neighbours and fan_from a binary search. */
static int check_unique_names(const loader *L)
{
    size_t n = L->m->count;
    for (size_t i = 0; i < n; i++) L->by_name[i] = i;
    sort_manifest = L->m;
    qsort(L->by_name, n, sizeof *L->by_name, by_name_cmp);
    for (size_t k = 1; k < n; k++) {
        size_t i = L->by_name[k - 1], j = L->by_name[k];
        if (strcmp(L->m->entries[i].name, L->m->entries[j].name) == 0)
            return fail(L, (long)j, "name", "duplicate of tensors[%zu]", i);
    }
    return CLI_OK;
}

static const cli_entry *find_entry(const loader *L, const char *name)
{
    size_t lo = 0, hi = L->m->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const cli_entry *e = &L->m->entries[L->by_name[mid]];
        int c = strcmp(e->name, name);
        if (c == 0) return e;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* fan_from: the bias takes the fan_in of its weight, as PyTorch's Linear/Conv reset_parameters does. */
static int apply_fan_from(const loader *L, long index)
{
    cli_entry *e = &L->m->entries[index];
    const char *from = L->fan_from[index];
    if (!from) return CLI_OK;
    if (L->has_fan_in[index]) return fail(L, index, "fan_from", "conflicts with params.fan_in: give one of them");
    const cli_entry *w = find_entry(L, from);
    if (!w) return fail(L, index, "fan_from", "no tensor named \"%s\"", from);
    int64_t fan_in;
    if (clinit_compute_fans(w->rank, w->shape, w->layout, &fan_in, NULL) != CLINIT_SUCCESS)
        return fail(L, index, "fan_from", "tensor \"%s\" has rank %d; fans need rank >= 2", from, w->rank);
    char text[32], why[1024];
    snprintf(text, sizeof text, "%lld", (long long)fan_in);
    if (cli_spec_set(&e->spec, "fan_in", text, why, sizeof why) != 0) return fail(L, index, "fan_from", "%s", why);
    return CLI_OK;
}

/* Resolves the initializer against the shape and lays the tensor out after the previous ones. */
static int place(const loader *L, long index)
{
    cli_entry *e = &L->m->entries[index];
    cli_manifest *m = L->m;
    const char *field;
    char why[1024];
    if (cli_spec_check(&e->spec, e->rank, e->shape, e->layout, &e->numel, &field, why, sizeof why) != 0)
        return fail(L, index, field, "%s", why);
    uint64_t bytes = e->numel * sizeof(float);
    if (bytes > SIZE_MAX || m->total_bytes > UINT64_MAX - bytes)
        return fail(L, index, "shape", "too large for this host");
    e->offset = m->total_bytes;
    m->total_bytes += bytes;
    m->total_numel += e->numel;
    if (bytes > m->max_bytes) m->max_bytes = (size_t)bytes;
    return CLI_OK;
}

static int load_tree(loader *L, const cJSON *root)
{
    cli_manifest *m = L->m;
    if (!cJSON_IsObject(root)) return fail(L, -1, NULL, "not a JSON object");
    const cJSON *seed = NULL, *layout = NULL, *tensors = NULL;
    int rc = member(L, -1, root, "seed", &seed);
    if (rc == CLI_OK) rc = member(L, -1, root, "layout", &layout);
    if (rc == CLI_OK) rc = member(L, -1, root, "tensors", &tensors);
    clinit_layout default_layout = CLINIT_LAYOUT_OI;
    if (rc == CLI_OK) rc = parse_seed(L, seed);
    if (rc == CLI_OK) rc = parse_layout(L, -1, layout, &default_layout);
    if (rc != CLI_OK) return rc;
    if (!tensors) return fail(L, -1, "tensors", "missing");
    if (!cJSON_IsArray(tensors) || cJSON_GetArraySize(tensors) == 0)
        return fail(L, -1, "tensors", "not a non-empty array");
    size_t n = (size_t)cJSON_GetArraySize(tensors);
    m->entries = calloc(n, sizeof *m->entries);
    L->fan_from = calloc(n, sizeof *L->fan_from);
    L->has_fan_in = calloc(n, 1);
    L->by_name = calloc(n, sizeof *L->by_name);
    if (!m->entries || !L->fan_from || !L->has_fan_in || !L->by_name) return cli_runtime_error("out of host memory");
    m->count = n;
    long i = 0;
    for (const cJSON *t = tensors->child; t && rc == CLI_OK; t = t->next, i++)
        rc = parse_tensor(L, i, t, default_layout);
    if (rc == CLI_OK) rc = check_unique_names(L);
    for (i = 0; (size_t)i < n && rc == CLI_OK; i++) rc = apply_fan_from(L, i);
    for (i = 0; (size_t)i < n && rc == CLI_OK; i++) rc = place(L, i);
    return rc;
}

int cli_manifest_load(const char *path, cli_manifest *m)
{
    memset(m, 0, sizeof *m);
    loader L = {.path = path, .m = m};
    size_t len = 0;
    errno = 0;
    char *text = read_all(path, &len);
    if (!text) return cli_usage_error("--manifest %s: %s", path, errno ? strerror(errno) : "cannot read");
    int rc;
    const char *end = NULL;
    cJSON *root = NULL;
    if (memchr(text, '\0', len)) rc = fail(&L, -1, NULL, "contains a NUL byte");
    else if (!(root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1))) rc = json_syntax_error(&L, text, end);
    else rc = load_tree(&L, root);
    cJSON_Delete(root);
    free(text);
    free(L.fan_from);
    free(L.has_fan_in);
    free(L.by_name);
    return rc;
}

void cli_manifest_free(cli_manifest *m)
{
    for (size_t i = 0; i < m->count; i++) free(m->entries[i].name);
    free(m->entries);
    memset(m, 0, sizeof *m);
}
