/* Model manifests. The whole file is validated before anything is created, so that a typo in tensor
 * 150 costs a second, not a device context and half a written file. Every message names the file, the
 * tensor (index and name) and the field, the way a compiler names file, line and column. */
#include "manifest.h"

#include "args.h"
#include "cli.h"
#include "dtypes.h"
#include "outfile.h"
#include "readers.h"
#include "spec.h"
#include "suggest.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* 2^53: integers from here on do not survive JSON's doubles exactly (2^53 + 1 reads as 2^53), so a number
 * this large is refused rather than rounded. */
#define JSON_EXACT_LIMIT 9007199254740992.0

/* What params gave, per tensor. */
enum { GAVE_FAN_IN = 1, GAVE_REQUIRED = 2 };

typedef struct loader {
    const char *path;
    cli_manifest *m;
    const char **fan_from; /* per tensor: the "fan_from" name, or NULL */
    unsigned char *gave;   /* per tensor: GAVE_* */
    size_t *by_name;       /* tensor indices sorted by name */
} loader;

/* The defaults of the top level that a tensor may override. */
typedef struct defaults {
    clinit_layout layout;
    clinit_dtype dtype;
} defaults;

static const char tensor_keys[] =
    "name, shape, init, params, fan_from, layout, dtype, in_axes, out_axes, batch_axes, split_dim";

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

/* The bytes of the file at path, NUL-terminated, at most `limit` of them: a regular file above the limit is
 * refused by its size, without reading; a stream (a pipe, /dev/zero) once limit + 1 bytes have come. NULL with
 * *size the bytes found (or UINT64_MAX: more than the limit, from a stream) and errno EFBIG when over the limit;
 * NULL with errno set when the file cannot be read. Memory: the file's size, or for a stream at most twice the
 * limit. */
static char *read_all(const char *path, uint64_t limit, size_t *len, uint64_t *size)
{
    int is_stdin = strcmp(path, "-") == 0; /* standard input, read as any other stream, and left open */
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) return NULL;
    struct stat st;
    size_t cap = 1 << 16, n = 0;
    int regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
    if (regular) cli_outfile_input("--manifest", is_stdin ? "- (standard input)" : path, &st); /* never an output */
    if (regular && (uint64_t)st.st_size > limit) {
        if (!is_stdin) fclose(f);
        *size = (uint64_t)st.st_size;
        errno = EFBIG;
        return NULL;
    }
    if (regular) cap = (size_t)st.st_size + 1; /* one more byte sees the end, or that the file grew */
    uint64_t most = limit < SIZE_MAX - 1 ? limit + 1 : SIZE_MAX - 1;
    if (cap > most) cap = (size_t)most;
    char *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || cap >= most) break;
        size_t grown_cap = cap <= most / 2 ? cap * 2 : (size_t)most;
        char *grown = realloc(buf, grown_cap + 1);
        if (!grown) free(buf);
        buf = grown;
        cap = grown_cap;
    }
    int err = buf ? ferror(f) : 1, saved = errno;
    if (!is_stdin && fclose(f) != 0) err = 1;
    if (err || n > limit) {
        free(buf);
        if (!err) {
            *size = UINT64_MAX;
            saved = EFBIG;
        }
        errno = saved;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Where text has the escape \u0000: cJSON decodes it into a NUL that silently ends the string ("a\u0000b"
 * would become "a"), so a name or value holding it is refused instead. NULL when there is none. */
static const char *escaped_nul(const char *text)
{
    int in_string = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            in_string = !in_string;
        else if (in_string && *p == '\\') {
            if (strncmp(p + 1, "u0000", 5) == 0) return p;
            if (p[1]) p++; /* skip the escaped character: \\ and \" end no escape and no string */
        }
    }
    return NULL;
}

/* The first number of the JSON text that strtod reads only as ±inf or 0 (1e999, -1e400, 1e-400), NULL if none;
 * *len its length. cJSON takes such a number as that value, not the one written (a params b of 1e999 became
 * +inf, a val of 1e-400 zeros), where `--param` and clinit_init_spec_set refuse it; subnormals are kept, as
 * there. The text parsed as JSON: outside strings, a '-' or a digit starts a number. */
static const char *out_of_range_number(const char *text, size_t *len)
{
    int in_string = 0;
    for (const char *p = text; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '"')
                in_string = 0;
            continue;
        }
        if (*p == '"') in_string = 1;
        if (*p != '-' && !isdigit((unsigned char)*p)) continue;
        *len = strspn(p, "-+.0123456789eE");
        errno = 0;
        double v = strtod(p, NULL);
        if (errno == ERANGE && (isinf(v) || v == 0)) return p;
        p += *len - 1;
    }
    return NULL;
}

/* Line and column (from 1) of `at` in text. */
static void position(const char *text, const char *at, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (const char *p = text; at && p < at; p++) {
        *col = *p == '\n' ? 1 : *col + 1;
        *line += *p == '\n';
    }
}

/* How many arrays and objects are open at `at` in the JSON text. */
static long depth_at(const char *text, const char *at)
{
    long depth = 0;
    int in_string = 0;
    for (const char *p = text; *p && p < at; p++) {
        if (in_string) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '"')
                in_string = 0;
        } else if (*p == '"')
            in_string = 1;
        else if (*p == '[' || *p == '{')
            depth++;
        else if (*p == ']' || *p == '}')
            depth--;
    }
    return depth;
}

static int json_syntax_error(const loader *L, const char *text, const char *at)
{
    long line, col;
    position(text, at, &line, &col);
    /* cJSON stops at an array or object that would be nested one level deeper than its limit */
    if (at && (*at == '[' || *at == '{') && depth_at(text, at) >= CJSON_NESTING_LIMIT)
        return fail(L, -1, NULL,
                    "line %ld, column %ld: arrays and objects nested more than %d deep, the JSON "
                    "parser's limit (cJSON's CJSON_NESTING_LIMIT)",
                    line, col, CJSON_NESTING_LIMIT);
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

/* A non-negative integral number below 2^53: 0; -1 when v is no such number, -2 when it is 2^53 or more (what
 * was written may have been rounded on reading: it cannot be told apart from its neighbours). */
static int json_uint(const cJSON *v, uint64_t *out)
{
    if (!cJSON_IsNumber(v)) return -1;
    double d = v->valuedouble;
    if (!(d >= 0) || floor(d) != d) return -1;
    if (d >= JSON_EXACT_LIMIT) return -2;
    *out = (uint64_t)d;
    return 0;
}

/* " is not a non-negative integer" or " is 2^53 or more, …" for json_uint's status. */
static const char *json_uint_why(int status)
{
    return status == -2 ? " is 2^53 or more: JSON numbers are exact only below 2^53" : " is not a non-negative integer";
}

static int parse_seed(const loader *L, const cJSON *v)
{
    if (!v) return CLI_OK;
    int ok = cJSON_IsString(v) ? cli_parse_u64(v->valuestring, &L->m->seed) == 0 : json_uint(v, &L->m->seed) == 0;
    if (ok) return CLI_OK;
    return fail(L, -1, "seed",
                "not an unsigned integer (a number below 2^53, or a string \"123\" / \"0x7b\" up to 2^64-1)");
}

static int parse_layout(const loader *L, long index, const cJSON *v, clinit_layout *out)
{
    char why[256];
    if (!v) return CLI_OK;
    if (!cJSON_IsString(v)) return fail(L, index, "layout", "not a string (\"oi\", \"io\" or \"axes\")");
    if (cli_parse_layout(v->valuestring, out, why, sizeof why) == 0) return CLI_OK;
    return fail(L, index, "layout", "%s", why);
}

static int parse_dtype(const loader *L, long index, const cJSON *v, clinit_dtype *out)
{
    char why[256];
    if (!v) return CLI_OK;
    if (!cJSON_IsString(v)) return fail(L, index, "dtype", "not a string (one of %s)", cli_dtype_names);
    if (cli_dtype_parse(v->valuestring, out, why, sizeof why) == 0) return CLI_OK;
    return fail(L, index, "dtype", "%s", why);
}

/* "in_axes": [0], "out_axes": [1, 2], "batch_axes": [], or [-1]: axes of the tensor's shape, negative ones
 * counted from the end (as in the Python binding), into a mask. */
static int parse_axes(const loader *L, long index, const cJSON *v, const char *key, int rank, uint32_t *mask)
{
    *mask = 0;
    if (!v) return CLI_OK;
    if (!cJSON_IsArray(v)) return fail(L, index, key, "not an array of dimensions");
    char why[256];
    for (const cJSON *c = v->child; c; c = c->next) {
        double axis = cJSON_IsNumber(c) ? c->valuedouble : 0.5;
        if (floor(axis) != axis)
            return fail(L, index, key, "not an array of integers (axes, negative ones from the end)");
        /* beyond ±2^31 no axis is in range: its message shows it as written (cJSON's double) */
        if (fabs(axis) > 0x1p31)
            return fail(L, index, key, "axis %.17g is out of range for rank %d (axes are in [-%d, %d))", axis, rank,
                        rank, rank);
        if (cli_axes_add(mask, (int64_t)axis, rank, why, sizeof why) != 0) return fail(L, index, key, "%s", why);
    }
    return CLI_OK;
}

/* The three axes lists: only with layout "axes", and disjoint. */
static int parse_all_axes(const loader *L, long index, const cJSON *const v[3], cli_tensor_desc *d)
{
    static const char *const keys[] = {"in_axes", "out_axes", "batch_axes"};
    uint32_t *masks[] = {&d->in_axes, &d->out_axes, &d->batch_axes};
    for (int k = 0; k < 3; k++) {
        if (v[k] && d->layout != CLINIT_LAYOUT_AXES)
            return fail(L, index, keys[k], "only with layout \"axes\" (this tensor's layout is \"%s\")",
                        cli_layout_name(d->layout));
        int rc = parse_axes(L, index, v[k], keys[k], d->rank, masks[k]);
        if (rc != CLI_OK) return rc;
    }
    int which;
    char why[256];
    if (cli_desc_check_axes(d, &which, why, sizeof why) != 0) return fail(L, index, keys[which], "%s", why);
    return CLI_OK;
}

static int parse_name(const loader *L, long index, const cJSON *v, cli_entry *e)
{
    if (!v) return fail(L, index, "name", "missing");
    if (!cJSON_IsString(v) || !v->valuestring[0]) return fail(L, index, "name", "not a non-empty string");
    /* safetensors keeps its metadata under this key of the same JSON object. */
    if (strcmp(v->valuestring, "__metadata__") == 0) return fail(L, index, "name", "\"__metadata__\" is reserved");
    /* cJSON passes the bytes of a string through unchecked; the safetensors header must be UTF-8. */
    if (!cli_utf8_valid(v->valuestring)) return fail(L, index, "name", "not valid UTF-8");
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
        int st = json_uint(c, &dim);
        if (st != 0) return fail(L, index, "shape", "dimension %d%s", d, json_uint_why(st));
        e->desc.shape[d] = (int64_t)dim;
    }
    e->desc.rank = rank;
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
    if (d < 0 || d >= e->desc.rank) {
        if (e->desc.rank == 0) return fail(L, index, "split_dim", "a scalar cannot be split: give null");
        return fail(L, index, "split_dim", "%.17g is not a dimension of the rank-%d shape: give 0..%d, or null", d,
                    e->desc.rank, e->desc.rank - 1);
    }
    e->split_dim = (int)d;
    return CLI_OK;
}

static int parse_init(const loader *L, long index, const cJSON *v, cli_entry *e)
{
    if (!v) return fail(L, index, "init", "missing");
    clinit_init_kind kind;
    if (!cJSON_IsString(v)) return fail(L, index, "init", "not a string (one of %s)", cli_init_names());
    if (clinit_init_from_name(v->valuestring, &kind) != CLINIT_SUCCESS)
        return fail(L, index, "init", "unknown initializer \"%s\": %s", v->valuestring,
                    cli_suggest(v->valuestring, cli_init_names()));
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
        /* the integer parameters: a number of them must be exact, as a dimension must */
        clinit_param_info info;
        int integer = cli_spec_param(e->spec.kind, p->string, &info) == 0 &&
                      (info.type == CLINIT_PARAM_INTEGER || info.type == CLINIT_PARAM_AXIS);
        if (cJSON_IsString(p))
            value = p->valuestring;
        else if (!cJSON_IsNumber(p))
            return fail(L, index, field, "not a number or a string");
        else if (integer && fabs(p->valuedouble) >= JSON_EXACT_LIMIT)
            return fail(L, index, field, "%.17g%s (give a larger one as a string)", p->valuedouble, json_uint_why(-2));
        else if (!integer && (e->desc.dtype == CLINIT_I32 || e->desc.dtype == CLINIT_I64) &&
                 fabs(p->valuedouble) >= JSON_EXACT_LIMIT)
            /* an integer tensor's constant is written exactly, and cJSON has already rounded this one */
            return fail(L, index, field,
                        "%.17g: JSON numbers are exact only below 2^53 in magnitude, and the constant of an integer "
                        "dtype must be exact (give it as a string)",
                        p->valuedouble);
        else if (integer && floor(p->valuedouble) == p->valuedouble)
            snprintf(text, sizeof text, "%lld", (long long)p->valuedouble);
        else
            snprintf(text, sizeof text, "%.17g", p->valuedouble);
        if (clinit_init_spec_set_message(&e->spec, p->string, value, why, sizeof why) != CLINIT_SUCCESS)
            return fail(L, index, field, "%s", why);
        const char *required = cli_spec_required(e->spec.kind);
        if (strcmp(p->string, "fan_in") == 0) L->gave[index] |= GAVE_FAN_IN;
        if (required && strcmp(p->string, required) == 0) L->gave[index] |= GAVE_REQUIRED;
    }
    return CLI_OK;
}

static int check_keys(const loader *L, long index, const cJSON *t)
{
    for (const cJSON *c = t->child; c; c = c->next)
        if (!ci_in_list(c->string, tensor_keys))
            return fail(L, index, c->string, "unknown key: %s", cli_suggest(c->string, tensor_keys));
    return CLI_OK;
}

/* Everything of one tensor that needs no other tensor. */
static int parse_tensor(const loader *L, long index, const cJSON *t, const defaults *top)
{
    cli_entry *e = &L->m->entries[index];
    e->desc.layout = top->layout;
    e->desc.dtype = top->dtype;
    if (!cJSON_IsObject(t)) return fail(L, index, NULL, "not an object");
    const cJSON *name = NULL, *shape = NULL, *init = NULL, *params = NULL, *fan_from = NULL, *layout = NULL,
                *dtype = NULL, *split_dim = NULL, *axes[3] = {NULL, NULL, NULL};
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
    if (rc == CLI_OK) rc = member(L, index, t, "in_axes", &axes[CLI_IN_AXES]);
    if (rc == CLI_OK) rc = member(L, index, t, "out_axes", &axes[CLI_OUT_AXES]);
    if (rc == CLI_OK) rc = member(L, index, t, "batch_axes", &axes[CLI_BATCH_AXES]);
    if (rc == CLI_OK) rc = parse_shape(L, index, shape, e);
    if (rc == CLI_OK) rc = parse_split_dim(L, index, split_dim, e);
    if (rc == CLI_OK) rc = parse_layout(L, index, layout, &e->desc.layout);
    if (rc == CLI_OK) rc = parse_all_axes(L, index, axes, &e->desc);
    if (rc == CLI_OK) rc = parse_dtype(L, index, dtype, &e->desc.dtype);
    if (rc == CLI_OK) rc = parse_init(L, index, init, e);
    if (rc == CLI_OK) rc = parse_params(L, index, params, e);
    if (rc == CLI_OK && fan_from) {
        if (!cJSON_IsString(fan_from)) return fail(L, index, "fan_from", "not a string");
        L->fan_from[index] = fan_from->valuestring;
    }
    return rc;
}

/* "generation": the generation contract of docs/ALGORITHMS.md every tensor follows, 1 … CLINIT_GENERATION_VERSION
 * (absent: the newest), so that a checkpoint made under an earlier one is made again bit for bit. */
static int parse_generation(const loader *L, const cJSON *v)
{
    uint64_t g = 0;
    if (!v) return CLI_OK;
    if (json_uint(v, &g) != 0 || g < 1 || g > CLINIT_GENERATION_VERSION)
        return fail(L, -1, "generation",
                    "not a generation of docs/ALGORITHMS.md, an integer 1 to %d (absent: %d, the "
                    "newest)",
                    CLINIT_GENERATION_VERSION, CLINIT_GENERATION_VERSION);
    L->m->generation = (int)g;
    return CLI_OK;
}

void cli_manifest_set_generation(cli_manifest *m, int generation)
{
    m->generation = generation;
    for (size_t i = 0; i < m->count; i++) m->entries[i].spec.generation = generation;
}

int cli_manifest_generation(const cli_manifest *m) { return m->generation ? m->generation : CLINIT_GENERATION_VERSION; }

void cli_manifest_view(const cli_manifest *m, cli_manifest *view)
{
    memset(view, 0, sizeof *view);
    view->path = m->path;
    view->seed = m->seed;
    view->generation = m->generation;
}

/* "config": the model's config.json (Hugging Face's), which `clinit init --out DIR/` writes beside the weights. */
static int parse_config(const loader *L, const cJSON *v)
{
    if (!cJSON_IsObject(v)) return fail(L, -1, "config", "not an object (the model's config.json)");
    L->m->config = cJSON_Print(v);
    return L->m->config ? CLI_OK : cli_runtime_error("out of host memory");
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
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* fan_from: the bias takes the fan_in of its weight, as PyTorch's Linear/Conv reset_parameters does. */
static int apply_fan_from(const loader *L, long index)
{
    cli_entry *e = &L->m->entries[index];
    const char *from = L->fan_from[index];
    if (!from) return CLI_OK;
    if (L->gave[index] & GAVE_FAN_IN)
        return fail(L, index, "fan_from", "conflicts with params.fan_in: give one of them");
    const cli_entry *w = find_entry(L, from);
    if (!w) return fail(L, index, "fan_from", "no tensor named \"%s\"", from);
    int64_t fan_in;
    clinit_status st = cli_desc_fan_in(&w->desc, &fan_in);
    if (st == CLINIT_ERROR_INVALID_RANK)
        return fail(L, index, "fan_from", "tensor \"%s\" has rank %d; fans need rank >= 2", from, w->desc.rank);
    if (st != CLINIT_SUCCESS)
        return fail(L, index, "fan_from", "tensor \"%s\" has no fans: %s (give it in_axes and out_axes)", from,
                    clinit_status_string(st));
    char text[32], why[1024];
    snprintf(text, sizeof text, "%lld", (long long)fan_in);
    if (clinit_init_spec_set_message(&e->spec, "fan_in", text, why, sizeof why) != CLINIT_SUCCESS)
        return fail(L, index, "fan_from", "%s", why);
    L->gave[index] |= GAVE_REQUIRED;
    return CLI_OK;
}

/* PyTorch has no default for these: a missing one would silently be 0 (a constant of zeros, a bias of zeros). */
static int check_required(const loader *L, long index)
{
    const cli_entry *e = &L->m->entries[index];
    const char *required = cli_spec_required(e->spec.kind);
    if (!required || (L->gave[index] & GAVE_REQUIRED)) return CLI_OK;
    char field[64];
    snprintf(field, sizeof field, "params.%s", required);
    if (e->spec.kind == CLINIT_INIT_LINEAR_DEFAULT_BIAS)
        return fail(L, index, field,
                    "missing: linear_default_bias needs its weight's fan_in: give fan_from (the "
                    "weight's name) or params.fan_in");
    return fail(L, index, field, "missing: %s has no default for it", clinit_init_name(e->spec.kind));
}

/* Resolves the initializer against the tensor. */
static int resolve(const loader *L, long index)
{
    cli_entry *e = &L->m->entries[index];
    const char *field;
    char why[1024];
    if (cli_spec_check(&e->spec, &e->desc, &e->numel, &field, why, sizeof why) != 0)
        return fail(L, index, field, "%s", why);
    if (cli_numpy_shape_fits(e->desc.rank, e->desc.shape, clinit_dtype_size(e->desc.dtype), why, sizeof why) != 0)
        return fail(L, index, "shape", "%s", why);
    return CLI_OK;
}

int cli_manifest_place(cli_manifest *m, size_t *bad)
{
    m->total_bytes = m->total_numel = 0;
    m->max_bytes = 0;
    for (size_t i = 0; i < m->count; i++) {
        cli_entry *e = &m->entries[i];
        uint64_t esize = clinit_dtype_size(e->desc.dtype); /* numel < 2^56, esize ≤ 8: no overflow */
        uint64_t bytes = e->numel * esize;
        if (bytes > SIZE_MAX || m->total_bytes > UINT64_MAX - bytes) {
            *bad = i;
            return -1;
        }
        e->offset = m->total_bytes;
        m->total_bytes += bytes;
        m->total_numel += e->numel;
        if (bytes > m->max_bytes) m->max_bytes = (size_t)bytes;
    }
    return 0;
}

int cli_manifest_check_fits(const cli_manifest *m, uint64_t max_alloc)
{
    loader L = {.path = m->path, .m = (cli_manifest *)m};
    for (size_t i = 0; i < m->count; i++) {
        uint64_t bytes = m->entries[i].numel * clinit_dtype_size(m->entries[i].desc.dtype);
        if (bytes > max_alloc)
            return fail(&L, (long)i, "shape", "%llu bytes exceed the device's largest buffer (%llu bytes)",
                        (unsigned long long)bytes, (unsigned long long)max_alloc);
    }
    return CLI_OK;
}

int cli_scratch_fits(clinit_ctx *ctx, const clinit_tensor *t, const clinit_init_spec *spec, uint64_t reserved,
                     const char **why)
{
    clinit_status st = clinit_scratch_fits(ctx, t, spec, reserved);
    *why = clinit_ctx_message(ctx);
    if (st == CLINIT_ERROR_DEVICE_MEMORY) return CLI_USAGE;
    /* the callers validated t and spec: what is left is the device's limits that could not be read */
    return st == CLINIT_SUCCESS ? CLI_OK : cli_clinit_error("checking the scratch against the device", st, ctx);
}

int cli_manifest_check_scratch(const cli_manifest *m, clinit_ctx *ctx, uint64_t reserved)
{
    loader L = {.path = m->path, .m = (cli_manifest *)m};
    for (size_t i = 0; i < m->count; i++) {
        clinit_tensor t = cli_desc_tensor(&m->entries[i].desc, NULL);
        const char *why;
        int rc = cli_scratch_fits(ctx, &t, &m->entries[i].spec, reserved, &why);
        if (rc == CLI_USAGE) return fail(&L, (long)i, "shape", "%s", why);
        if (rc != CLI_OK) return rc;
    }
    return CLI_OK;
}

uint64_t cli_manifest_scratch(const cli_manifest *m)
{
    uint64_t most = 0;
    for (size_t i = 0; i < m->count; i++) {
        clinit_tensor t = cli_desc_tensor(&m->entries[i].desc, NULL);
        uint64_t total = 0;
        if (clinit_scratch_bytes(&t, &m->entries[i].spec, NULL, &total) == CLINIT_SUCCESS && total > most) most = total;
    }
    return most;
}

static int load_tree(loader *L, const cJSON *root)
{
    cli_manifest *m = L->m;
    if (!cJSON_IsObject(root)) return fail(L, -1, NULL, "not a JSON object");
    const cJSON *seed = NULL, *layout = NULL, *dtype = NULL, *tensors = NULL, *config = NULL, *generation = NULL;
    int rc = member(L, -1, root, "seed", &seed);
    if (rc == CLI_OK) rc = member(L, -1, root, "generation", &generation);
    if (rc == CLI_OK) rc = member(L, -1, root, "config", &config);
    if (rc == CLI_OK) rc = member(L, -1, root, "layout", &layout);
    if (rc == CLI_OK) rc = member(L, -1, root, "dtype", &dtype);
    if (rc == CLI_OK) rc = member(L, -1, root, "tensors", &tensors);
    defaults top = {.layout = CLINIT_LAYOUT_OI, .dtype = CLINIT_F32};
    /* Other top-level keys are free text, but these would be silently ignored where a tensor's were meant. */
    static const char *const per_tensor[] = {"shape",   "init",     "params",     "fan_from",
                                             "in_axes", "out_axes", "batch_axes", "split_dim"};
    for (size_t k = 0; k < sizeof per_tensor / sizeof per_tensor[0] && rc == CLI_OK; k++)
        if (cJSON_GetObjectItemCaseSensitive(root, per_tensor[k]))
            rc = fail(L, -1, per_tensor[k], "belongs to each tensor, not to the top level");
    if (rc == CLI_OK) rc = parse_seed(L, seed);
    if (rc == CLI_OK) rc = parse_layout(L, -1, layout, &top.layout);
    if (rc == CLI_OK) rc = parse_dtype(L, -1, dtype, &top.dtype);
    if (rc == CLI_OK && config) rc = parse_config(L, config);
    if (rc == CLI_OK) rc = parse_generation(L, generation);
    if (rc != CLI_OK) return rc;
    if (!tensors) return fail(L, -1, "tensors", "missing");
    if (!cJSON_IsArray(tensors) || cJSON_GetArraySize(tensors) == 0)
        return fail(L, -1, "tensors", "not a non-empty array");
    size_t n = (size_t)cJSON_GetArraySize(tensors);
    m->entries = calloc(n, sizeof *m->entries);
    L->fan_from = calloc(n, sizeof *L->fan_from);
    L->gave = calloc(n, 1);
    L->by_name = calloc(n, sizeof *L->by_name);
    if (!m->entries || !L->fan_from || !L->gave || !L->by_name) return cli_runtime_error("out of host memory");
    m->count = n;
    long i = 0;
    for (const cJSON *t = tensors->child; t && rc == CLI_OK; t = t->next, i++) rc = parse_tensor(L, i, t, &top);
    if (rc == CLI_OK) cli_manifest_set_generation(m, m->generation);
    if (rc == CLI_OK) rc = check_unique_names(L);
    for (i = 0; (size_t)i < n && rc == CLI_OK; i++) rc = apply_fan_from(L, i);
    for (i = 0; (size_t)i < n && rc == CLI_OK; i++) rc = check_required(L, i);
    for (i = 0; (size_t)i < n && rc == CLI_OK; i++) rc = resolve(L, i);
    size_t bad;
    if (rc == CLI_OK && cli_manifest_place(m, &bad) != 0) rc = fail(L, (long)bad, "shape", "too large for this host");
    return rc;
}

/* Validates the manifest text[0..len-1] (text[len] must be '\0'), messages naming `label`. Takes text, which is
 * freed once the JSON tree is built: the tree and the tensors' entries need the memory more. */
static int parse_text(const char *label, char *text, size_t len, cli_manifest *m)
{
    loader L = {.path = label, .m = m};
    int rc = CLI_OK;
    const char *end = NULL, *nul = NULL, *bad = NULL;
    size_t bad_len = 0;
    cJSON *root = NULL;
    long line, col;
    if (memchr(text, '\0', len))
        rc = fail(&L, -1, NULL, "contains a NUL byte");
    else if (text[strspn(text, " \t\r\n")] == '\0') /* JSON's blanks only: no value to be invalid */
        rc = fail(&L, -1, NULL, "empty manifest (no JSON)");
    else if ((nul = escaped_nul(text)) != NULL) {
        position(text, nul, &line, &col);
        rc = fail(&L, -1, NULL, "line %ld, column %ld: \\u0000 (NUL) in a string: names and values cannot hold it",
                  line, col);
    } else if (!(root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1)))
        rc = json_syntax_error(&L, text, end);
    else if ((bad = out_of_range_number(text, &bad_len)) != NULL) {
        position(text, bad, &line, &col);
        rc = fail(&L, -1, NULL,
                  "line %ld, column %ld: the number %.*s%s is beyond the range of a double (it would "
                  "be %s)",
                  line, col, (int)(bad_len < 64 ? bad_len : 64), bad, bad_len > 64 ? "..." : "",
                  strtod(bad, NULL) == 0 ? "0"
                  : bad[0] == '-'        ? "-inf"
                                         : "inf");
    }
    free(text);
    if (rc == CLI_OK) rc = load_tree(&L, root);
    cJSON_Delete(root);
    free(L.fan_from);
    free(L.gave);
    free(L.by_name);
    return rc;
}

int cli_manifest_parse(const char *json, size_t len, const char *label, cli_manifest *m)
{
    memset(m, 0, sizeof *m);
    m->path = label;
    char *text = malloc(len + 1);
    if (!text) return cli_usage_error("%s: out of memory", label);
    if (len) memcpy(text, json, len);
    text[len] = '\0';
    return parse_text(label, text, len, m);
}

int cli_manifest_limit_option(const char *text, uint64_t *limit)
{
    *limit = CLI_MANIFEST_LIMIT;
    if (!text) return CLI_OK;
    if (cli_parse_u64(text, limit) != 0 || *limit == 0)
        return cli_usage_error("--manifest-limit \"%s\": not a number of bytes >= 1 (decimal or 0x hex)", text);
    return CLI_OK;
}

int cli_manifest_load(const char *path, uint64_t limit, cli_manifest *m)
{
    memset(m, 0, sizeof *m);
    if (!*path) return cli_usage_error("--manifest: empty file name");
    m->path = strcmp(path, "-") == 0 ? "(standard input)" : path;
    size_t len = 0;
    uint64_t size = 0;
    errno = 0;
    char *text = read_all(path, limit, &len, &size);
    if (!text && errno == EFBIG && size == UINT64_MAX)
        return cli_usage_error("--manifest %s: more than %" PRIu64 " bytes, the limit on a manifest (--manifest-limit "
                               "BYTES raises it)",
                               path, limit);
    if (!text && errno == EFBIG)
        return cli_usage_error("--manifest %s: %" PRIu64 " bytes, above the limit of %" PRIu64 " on a manifest "
                               "(--manifest-limit BYTES raises it)",
                               path, size, limit);
    if (!text) return cli_errno_error(errno, "--manifest %s: %s", path, errno ? strerror(errno) : "cannot read");
    return parse_text(m->path, text, len, m);
}

void cli_manifest_free(cli_manifest *m)
{
    for (size_t i = 0; i < m->count; i++) free(m->entries[i].name);
    free(m->entries);
    free(m->config);
    memset(m, 0, sizeof *m);
}
