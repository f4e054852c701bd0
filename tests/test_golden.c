/* Golden vectors of the generation contract (docs/ALGORITHMS.md): tests/data/golden_v<g>.txt for every
 * generation g = 1 … CLINIT_GENERATION_VERSION (a missing file fails), each written once by `make_golden g`
 * from the host reference of its day, its cases selecting generation g (clinit_init_spec.generation). Each
 * frozen value is checked:
 *   1. on the host reference today, bit for bit: as a one-element box at its index (in the newest file also
 *      with generation 0, the newest), in the whole tensor (up to 2^20 elements) and in the case's box;
 *   2. against an oracle written here from docs/ALGORITHMS.md alone (Random123's philox4x32_R, u01, the uniform
 *      and Box–Muller formulas), so that the file does not merely freeze the reference's bugs: bit for bit for
 *      constant and uniform in every dtype (f16 and bf16: the round-to-nearest-even of the f32 value, found by
 *      search among all 65536 values of the dtype); for normals Box–Muller in double (long double for f64)
 *      with the C library's functions, within the accuracy bound of docs/ALGORITHMS.md §4;
 *   3. on the device, bit for bit, in whatever kernel shape the environment selects (tests/CMakeLists.txt runs
 *      this suite under every PoCL variant): every value as a one-element box (the kernels' scalar path), whole
 *      tensors of up to 2^16 elements at two byte offsets (on CPUs their 16-block path too), the case's box, and
 *      clinit_fill_batch of the element-wise cases, items in one buffer (kernels/batch.cl);
 *   4. stream names: clinit_stream_from_name against the frozen XXH64 values.
 * test_file_complete checks that each file covers what golden_cases.h says it does. */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include "generate.h"           /* CLINIT_TN_*: trunc_normal's plans */
#include "golden_cases.h"
#include "internal.h"
#include "support.h"

#include <Random123/philox.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEVICE_WHOLE (1 << 16)
#define HOST_WHOLE (1 << 20)

typedef struct gcase {
    int generation, line;
    char init[64], shape[64], layout[8], box[160], params[256];
    uint64_t seed, stream;
    clinit_tensor t;     /* the whole tensor: shape, layout, dtype */
    clinit_tensor boxed; /* t with the case's box; has_box = 0 when it has none */
    clinit_init_spec spec;
    int dist; /* clinit_dist_kind */
    int64_t numel;
    int nv, cap;
    uint64_t *idx, *bits;
} gcase;

typedef struct gstream {
    char name[128];
    uint64_t value;
} gstream;

static gcase *cases;
static int ncases, capcases;
static gstream streams[CLINIT_GENERATION_VERSION][16];
static int nstreams[CLINIT_GENERATION_VERSION];
static int file_generation[CLINIT_GENERATION_VERSION]; /* from each file's `generation` line */

static void describe(const gcase *c, char *buf, size_t size)
{
    snprintf(buf, size, "golden_v%d.txt:%d (%.40s %.40s %s%s%.60s)", c->generation, c->line, c->init, c->shape,
             sup_dtype_name(c->t.dtype), c->box[0] ? " box " : "", c->box);
}

static int setup_case(gcase *c, const char *rest)
{
    memset(&c->t, 0, sizeof c->t);
    c->t.dtype = CLINIT_F32;
    if (sup_parse_dims(c->shape, &c->t.rank, c->t.shape) != 0) return -1;
    if (strcmp(c->layout, "io") == 0)
        c->t.layout = CLINIT_LAYOUT_IO;
    else if (strcmp(c->layout, "oi") == 0)
        c->t.layout = CLINIT_LAYOUT_OI;
    else
        return -1;
    clinit_init_kind kind;
    if (clinit_init_from_name(c->init, &kind) != CLINIT_SUCCESS) return -1;
    c->spec = clinit_init_spec_default(kind);
    /* dtype= and box= are the case's own; the rest are the spec's parameters */
    char buf[512];
    snprintf(buf, sizeof buf, "%s", rest);
    c->params[0] = '\0';
    char *save = NULL;
    for (char *tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
        if (strncmp(tok, "dtype=", 6) == 0) {
            if (sup_dtype_from_name(tok + 6, &c->t.dtype) != 0) return -1;
        } else if (strncmp(tok, "box=", 4) == 0) {
            snprintf(c->box, sizeof c->box, "%s", tok + 4);
        } else {
            size_t used = strlen(c->params);
            snprintf(c->params + used, sizeof c->params - used, "%s%s", used ? " " : "", tok);
        }
    }
    if (sup_spec_set_params(&c->spec, c->params) != 0) return -1;
    c->spec.generation = c->generation;
    c->boxed = c->t;
    if (c->box[0]) {
        char start[80], extent[80];
        int rs, re;
        if (sscanf(c->box, "%79[0-9x]:%79[0-9x]", start, extent) != 2 ||
            sup_parse_dims(start, &rs, c->boxed.box_start) || sup_parse_dims(extent, &re, c->boxed.box_extent) ||
            rs != c->t.rank || re != c->t.rank)
            return -1;
        c->boxed.has_box = 1;
        int64_t n;
        if (clinit_tensor_numel(&c->boxed, &n) != CLINIT_SUCCESS) return -1;
    }
    clinit_distribution d;
    if (clinit_tensor_numel(&c->t, &c->numel) != CLINIT_SUCCESS ||
        clinit_init_resolve(&c->spec, &c->t, &d) != CLINIT_SUCCESS)
        return -1;
    c->dist = (int)d.kind;
    return 0;
}

static int add_value(gcase *c, uint64_t i, uint64_t bits)
{
    if (c->nv == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 32;
        c->idx = realloc(c->idx, (size_t)c->cap * sizeof *c->idx);
        c->bits = realloc(c->bits, (size_t)c->cap * sizeof *c->bits);
        if (!c->idx || !c->bits) return -1;
    }
    c->idx[c->nv] = i;
    c->bits[c->nv++] = bits;
    return 0;
}

static int load_file(int g)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/golden_v%d.txt", CLINIT_GOLDEN_DIR, g);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open %s: every generation 1 … %d needs its golden file (make_golden %d)\n", path,
                CLINIT_GENERATION_VERSION, g);
        return -1;
    }
    char line[1024];
    gcase *cur = NULL;
    int bad = 0, lineno = 0;
    while (!bad && fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (strncmp(line, "generation ", 11) == 0) {
            bad = sscanf(line + 11, "%d", &file_generation[g - 1]) != 1;
        } else if (strncmp(line, "stream \"", 8) == 0) {
            char *q = strchr(line + 8, '"');
            gstream *s = &streams[g - 1][nstreams[g - 1]];
            if (!q || nstreams[g - 1] == 16) {
                bad = 1;
                break;
            }
            *q = '\0';
            snprintf(s->name, sizeof s->name, "%.127s", line + 8);
            bad = sscanf(q + 1, " %" SCNx64, &s->value) != 1;
            nstreams[g - 1]++;
        } else if (strncmp(line, "case ", 5) == 0) {
            if (ncases == capcases) {
                capcases = capcases ? 2 * capcases : 256;
                cases = realloc(cases, (size_t)capcases * sizeof *cases);
                if (!cases) {
                    bad = 1;
                    break;
                }
            }
            cur = &cases[ncases++];
            memset(cur, 0, sizeof *cur);
            cur->generation = g;
            cur->line = lineno;
            int used = 0;
            bad = sscanf(line, "case %63s %63s %7s %" SCNx64 " %" SCNx64 "%n", cur->init, cur->shape, cur->layout,
                         &cur->seed, &cur->stream, &used) != 5 ||
                  setup_case(cur, line + used) != 0;
        } else if (line[0] == 'v' && cur) {
            uint64_t i, bits;
            bad = sscanf(line, "v %" SCNu64 " %" SCNx64, &i, &bits) != 2 || add_value(cur, i, bits) != 0;
        } else {
            bad = 1;
        }
    }
    fclose(f);
    if (bad) fprintf(stderr, "%s:%d: cannot read: %s", path, lineno, line);
    return bad ? -1 : 0;
}

/* c->t as the one-element box at logical index i. */
static clinit_tensor element_box(const gcase *c, uint64_t i)
{
    clinit_tensor t = c->t;
    t.has_box = 1;
    for (int d = t.rank - 1; d >= 0; d--) {
        t.box_start[d] = (int64_t)(i % (uint64_t)t.shape[d]);
        t.box_extent[d] = 1;
        i /= (uint64_t)t.shape[d];
    }
    return t;
}

/* Whether logical index i lies in t's box, and where (row-major within the box). */
static int box_position(const clinit_tensor *t, uint64_t i, size_t *pos)
{
    uint64_t p = 0, scale = 1;
    for (int d = t->rank - 1; d >= 0; d--) {
        uint64_t x = i % (uint64_t)t->shape[d];
        i /= (uint64_t)t->shape[d];
        if (x < (uint64_t)t->box_start[d] || x >= (uint64_t)(t->box_start[d] + t->box_extent[d])) return 0;
        p += (x - (uint64_t)t->box_start[d]) * scale;
        scale *= (uint64_t)t->box_extent[d];
    }
    *pos = (size_t)p;
    return 1;
}

/* Compares values[pos] with the frozen value k of c. */
static void expect_at(const gcase *c, int k, const void *values, size_t pos, const char *where)
{
    uint64_t got = sup_bits_at(values, c->t.dtype, pos);
    if (got != c->bits[k]) {
        char what[256];
        describe(c, what, sizeof what);
        int w = (int)(2 * clinit_dtype_size(c->t.dtype));
        fail_msg("%s index %" PRIu64 ": %s 0x%0*" PRIx64 ", golden 0x%0*" PRIx64, what, c->idx[k], where, w, got, w,
                 c->bits[k]);
    }
}

/* Compares every frozen value of c that a fill of `t` (whole or a box) wrote into values. */
static void expect_fill(const gcase *c, const clinit_tensor *t, const void *values, const char *where)
{
    for (int k = 0; k < c->nv; k++) {
        size_t pos = (size_t)c->idx[k];
        if (!t->has_box || box_position(t, c->idx[k], &pos)) expect_at(c, k, values, pos, where);
    }
}

/* ------------------------------------------------------------------------------------------------------------
 * The files
 * --------------------------------------------------------------------------------------------------------- */

enum {
    F_TN_NORMAL,
    F_TN_UNIFORM,
    F_TN_EXP_UPPER,
    F_TN_EXP_LOWER, /* trunc_normal's plans, CLINIT_TN_* order */
    F_ORTH_TALL,
    F_ORTH_WIDE,
    F_ORTH_RANK3_OI,
    F_ORTH_RANK3_IO,
    F_DELTA_OI,
    F_DELTA_IO,
    F_SPARSE_SELECTION,
    F_SPARSE_FEISTEL,
    F_DIRAC_GROUPS_OI,
    F_DIRAC_GROUPS_IO,
    F_EYE_RECTANGULAR,
    F_BOX_RUNS_OFF_BLOCK,
    F_ODD,
    F_HIGH_BLOCK,
    F_HIGH_SEED,
    F_HIGH_STREAM,
    F_VECTOR_WHOLE,
    F_COUNT
};
static const char *const feature_names[F_COUNT] = {"trunc_normal normal plan",
                                                   "trunc_normal uniform plan",
                                                   "trunc_normal exponential plan (upper)",
                                                   "trunc_normal exponential plan (lower)",
                                                   "orthogonal rows > cols",
                                                   "orthogonal rows < cols",
                                                   "orthogonal rank > 2 oi",
                                                   "orthogonal rank > 2 io",
                                                   "delta_orthogonal oi",
                                                   "delta_orthogonal io",
                                                   "sparse rows <= 16",
                                                   "sparse rows > 16",
                                                   "dirac groups > 1 oi",
                                                   "dirac groups > 1 io",
                                                   "eye rows != cols",
                                                   "a box of several runs off a block boundary",
                                                   "an odd element count",
                                                   "a Philox block above 2^32",
                                                   "a seed with both halves non-zero",
                                                   "a stream with both halves non-zero",
                                                   "a whole element-wise tensor of 64 or more elements, all frozen"};

static unsigned features(const gcase *c)
{
    unsigned f = 0;
    const int64_t *sh = c->t.shape;
    int io = c->t.layout == CLINIT_LAYOUT_IO;
    switch (c->spec.kind) {
    case CLINIT_INIT_ORTHOGONAL: {
        int64_t cols = c->numel / sh[0];
        f |= (sh[0] > cols ? 1u << F_ORTH_TALL : 0) | (sh[0] < cols ? 1u << F_ORTH_WIDE : 0);
        if (c->t.rank > 2) f |= 1u << (io ? F_ORTH_RANK3_IO : F_ORTH_RANK3_OI);
        break;
    }
    case CLINIT_INIT_DELTA_ORTHOGONAL: f |= 1u << (io ? F_DELTA_IO : F_DELTA_OI); break;
    case CLINIT_INIT_SPARSE: f |= 1u << (sh[0] <= 16 ? F_SPARSE_SELECTION : F_SPARSE_FEISTEL); break;
    case CLINIT_INIT_DIRAC:
        if (c->spec.groups > 1) f |= 1u << (io ? F_DIRAC_GROUPS_IO : F_DIRAC_GROUPS_OI);
        break;
    case CLINIT_INIT_EYE: f |= sh[0] != sh[1] ? 1u << F_EYE_RECTANGULAR : 0; break;
    default: break;
    }
    if (c->dist == CLINIT_DIST_TRUNCATED_NORMAL) {
        ci_plan plan;
        char what[256];
        assert_int_equal(ci_plan_make(&c->t, &c->spec, &plan, what, sizeof what), CLINIT_SUCCESS);
        f |= 1u << (F_TN_NORMAL + plan.r.method - CLINIT_TN_NORMAL);
    }
    if (c->boxed.has_box) {
        ci_geometry g;
        char what[256];
        assert_int_equal(ci_geometry_from_tensor(&c->boxed, &g, what, sizeof what), CLINIT_SUCCESS);
        if (g.rows > 1 && ci_geometry_row_start(&g, 0) % 4 != 0) f |= 1u << F_BOX_RUNS_OFF_BLOCK;
    }
    f |= c->numel % 2 ? 1u << F_ODD : 0;
    int per_block = c->t.dtype == CLINIT_F64 ? 2 : 4;
    for (int k = 0; k < c->nv; k++)
        if (c->idx[k] / (uint64_t)per_block >= (UINT64_C(1) << 32)) f |= 1u << F_HIGH_BLOCK;
    f |= (c->seed >> 32) && (uint32_t)c->seed ? 1u << F_HIGH_SEED : 0;
    f |= (c->stream >> 32) && (uint32_t)c->stream ? 1u << F_HIGH_STREAM : 0;
    if (c->dist <= CLINIT_DIST_TRUNCATED_NORMAL && c->numel >= 64 && c->nv >= c->numel) f |= 1u << F_VECTOR_WHOLE;
    return f;
}

/* Every generation's file: readable, its generation line right, the first 8 elements and every element of a
 * small tensor frozen, every initializer in every dtype, and every feature golden_cases.h promises in every
 * dtype (plans, layouts, boxes, large indices). */
static void test_file_complete(void **state)
{
    (void)state;
    for (int g = 1; g <= CLINIT_GENERATION_VERSION; g++) {
        if (file_generation[g - 1] != g) fail_msg("golden_v%d.txt says generation %d", g, file_generation[g - 1]);
        assert_true(nstreams[g - 1] >= 3);
        uint64_t kinds[4] = {0};
        unsigned have[4] = {0};
        int n = 0;
        for (int i = 0; i < ncases; i++) {
            const gcase *c = &cases[i];
            if (c->generation != g) continue;
            n++;
            char what[256];
            describe(c, what, sizeof what);
            int64_t first = c->numel < 8 ? c->numel : 8;
            if (c->nv < first || (c->numel <= GOLDEN_WHOLE && c->nv != c->numel)) fail_msg("%s: too few values", what);
            for (int k = 0; k < c->nv; k++) {
                if (k < first && c->idx[k] != (uint64_t)k) fail_msg("%s: value %d is not element %d", what, k, k);
                if (c->idx[k] >= (uint64_t)c->numel) fail_msg("%s: index %" PRIu64 " outside", what, c->idx[k]);
                if (clinit_dtype_size(c->t.dtype) < 8 && c->bits[k] >> (8 * clinit_dtype_size(c->t.dtype)))
                    fail_msg("%s: bits 0x%" PRIx64 " wider than the dtype", what, c->bits[k]);
                for (int j = 0; j < k; j++)
                    if (c->idx[j] == c->idx[k]) fail_msg("%s: index %" PRIu64 " twice", what, c->idx[k]);
            }
            kinds[c->t.dtype] |= UINT64_C(1) << c->spec.kind;
            have[c->t.dtype] |= features(c);
        }
        assert_true(n >= 100);
        for (int d = 0; d < 4; d++) {
            for (int k = 0; clinit_init_name((clinit_init_kind)k); k++)
                if (!(kinds[d] >> k & 1))
                    fail_msg("golden_v%d.txt: no %s case in %s", g, clinit_init_name((clinit_init_kind)k),
                             sup_dtype_name((clinit_dtype)d));
            for (int f = 0; f < F_COUNT; f++)
                if (!(have[d] >> f & 1))
                    fail_msg("golden_v%d.txt: no case with %s in %s", g, feature_names[f],
                             sup_dtype_name((clinit_dtype)d));
        }
    }
}

static void test_stream_names(void **state)
{
    (void)state;
    for (int g = 0; g < CLINIT_GENERATION_VERSION; g++)
        for (int i = 0; i < nstreams[g]; i++)
            if (clinit_stream_from_name(streams[g][i].name) != streams[g][i].value)
                fail_msg("golden_v%d.txt stream \"%s\": 0x%016" PRIx64 ", frozen 0x%016" PRIx64, g + 1,
                         streams[g][i].name, clinit_stream_from_name(streams[g][i].name), streams[g][i].value);
}

/* ------------------------------------------------------------------------------------------------------------
 * Host reference
 * --------------------------------------------------------------------------------------------------------- */

static void test_reference_matches_golden(void **state)
{
    (void)state;
    for (int i = 0; i < ncases; i++) {
        const gcase *c = &cases[i];
        /* generation 0 is the newest: the newest file's values without selecting it too */
        clinit_init_spec newest = c->spec;
        newest.generation = 0;
        for (int k = 0; k < c->nv; k++) {
            clinit_tensor t = element_box(c, c->idx[k]);
            unsigned char v[8];
            assert_int_equal(clinit_reference_fill(&t, &c->spec, c->seed, c->stream, v, sizeof v), CLINIT_SUCCESS);
            expect_at(c, k, v, 0, "reference element");
            if (c->generation != CLINIT_GENERATION_VERSION) continue;
            assert_int_equal(clinit_reference_fill(&t, &newest, c->seed, c->stream, v, sizeof v), CLINIT_SUCCESS);
            expect_at(c, k, v, 0, "reference element with generation 0");
        }
        if (c->numel <= HOST_WHOLE) {
            void *all = sup_reference_fill(&c->t, &c->spec, c->seed, c->stream);
            expect_fill(c, &c->t, all, "reference whole tensor");
            free(all);
        }
        if (c->boxed.has_box) {
            void *box = sup_reference_fill(&c->boxed, &c->spec, c->seed, c->stream);
            expect_fill(c, &c->boxed, box, "reference box");
            free(box);
        }
    }
}

/* ------------------------------------------------------------------------------------------------------------
 * Oracle (docs/ALGORITHMS.md, written out independently of host/reference.c and kernels/generate*.h)
 * --------------------------------------------------------------------------------------------------------- */

/* Every finite value of f16 (grid 0) and bf16 (grid 1) with its bits, ascending, −0 left out: the oracle rounds
 * by searching these, not by the bit manipulations of host/dtype.c and the kernels. */
typedef struct gridval {
    double v;
    uint16_t bits;
} gridval;
static gridval grid[2][65536];
static int ngrid[2];

static int grid_cmp(const void *a, const void *b)
{
    double x = ((const gridval *)a)->v, y = ((const gridval *)b)->v;
    return (x > y) - (x < y);
}

static const gridval *grid_of(clinit_dtype dtype, int *n)
{
    int gi = dtype == CLINIT_BF16;
    if (!ngrid[gi]) {
        for (uint32_t b = 0; b < 65536; b++) {
            uint16_t h = (uint16_t)b;
            double v = sup_value(&h, dtype, 0);
            if (isfinite(v) && b != 0x8000) grid[gi][ngrid[gi]++] = (gridval){v, h};
        }
        qsort(grid[gi], (size_t)ngrid[gi], sizeof grid[gi][0], grid_cmp);
    }
    *n = ngrid[gi];
    return grid[gi];
}

/* The position of the first grid value ≥ x (n when none). */
static int grid_lower_bound(const gridval *gv, int n, double x)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (gv[mid].v < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Round to nearest, ties to the even bit pattern (NaN beyond the finite values). */
static double grid_round(clinit_dtype dtype, double x)
{
    int n;
    const gridval *gv = grid_of(dtype, &n);
    int j = grid_lower_bound(gv, n, x);
    if (j == n || (j == 0 && gv[0].v != x)) return NAN;
    if (gv[j].v == x) return x == 0 ? copysign(0.0, x) : x;
    double below = gv[j - 1].v, above = gv[j].v;
    double r = x - below < above - x ? below : above - x < x - below ? above : (gv[j].bits & 1) ? below : above;
    return r == 0 ? copysign(0.0, x) : r;
}

/* The smallest grid value ≥ x, and the largest < x. */
static double grid_ceil(clinit_dtype dtype, double x)
{
    int n;
    const gridval *gv = grid_of(dtype, &n);
    int j = grid_lower_bound(gv, n, x);
    return j < n ? gv[j].v : NAN;
}

static double grid_below(clinit_dtype dtype, double x)
{
    int n;
    const gridval *gv = grid_of(dtype, &n);
    int j = grid_lower_bound(gv, n, x);
    return j > 0 ? gv[j - 1].v : NAN;
}

/* Half the larger gap between grid value v and its neighbours. */
static double grid_half_gap(clinit_dtype dtype, double v)
{
    int n;
    const gridval *gv = grid_of(dtype, &n);
    int j = grid_lower_bound(gv, n, v);
    double lo = j > 0 ? v - gv[j - 1].v : 0, hi = j + 1 < n ? gv[j + 1].v - v : 0;
    return 0.5 * (lo > hi ? lo : hi);
}

static void philox(const gcase *c, uint64_t block, uint32_t x[4])
{
    philox4x32_ctr_t ctr = {
        {(uint32_t)block, (uint32_t)(block >> 32), (uint32_t)c->stream, (uint32_t)(c->stream >> 32)}};
    philox4x32_key_t key = {{(uint32_t)c->seed, (uint32_t)(c->seed >> 32)}};
    philox4x32_ctr_t r = philox4x32_R(10, ctr, key);
    memcpy(x, r.v, sizeof r.v);
}

/* The f32 value of element i (§3, §4): exact for constant and uniform (the f32 interval's clamp included),
 * Box–Muller in double for normal. */
static double oracle32(const gcase *c, const clinit_distribution *d, uint64_t i)
{
    if (d->kind == CLINIT_DIST_CONSTANT) return (float)d->value;
    uint32_t x[4];
    philox(c, i >> 2, x);
    float u[4];
    for (int w = 0; w < 4; w++) u[w] = (float)(x[w] >> 9) * 0x1p-23f + 0x1p-24f;
    unsigned lane = (unsigned)(i & 3);
    if (d->kind == CLINIT_DIST_UNIFORM) {
        float lo = (float)d->low, hi = (float)d->high;
        float span = hi - lo;
        float prod = span * u[lane];
        float v = lo + prod;
        if (lo < hi && v >= hi) v = nextafterf(hi, lo);
        return v;
    }
    unsigned p = lane >> 1;
    double r = sqrt(-2.0 * log((double)u[2 * p]));
    double theta = 6.283185307179586476925 * (double)u[2 * p + 1]; /* 2π */
    if (c->generation >= 2) {
        /* §7: q·π/2 + fma(1 + low 23 bits·2^-23, fl(π/2), −fl(1.5·π/2)), q the top two bits */
        uint32_t xb = x[2 * p + 1];
        double m = 1.0 + (double)(xb & 0x7fffffu) * 0x1p-23;
        theta = (double)(xb >> 30) * 1.57079632679489661923 + (double)fmaf((float)m, 0x1.921fb6p+0f, -0x1.2d97c8p+1f);
    }
    double z = (lane & 1) ? r * sin(theta) : r * cos(theta);
    return (double)(float)d->mean + (double)(float)d->std * z;
}

/* f64 (§4 "f64"): two elements per block, a 52-bit uniform from two words. */
static long double oracle64(const gcase *c, const clinit_distribution *d, uint64_t i)
{
    if (d->kind == CLINIT_DIST_CONSTANT) return d->value;
    uint32_t x[4];
    philox(c, i >> 1, x);
    if (d->kind == CLINIT_DIST_UNIFORM) {
        unsigned a = 2 * (unsigned)(i & 1);
        uint64_t k = ((uint64_t)x[a] << 20) | (x[a + 1] >> 12);
        double u = ((double)k + 0.5) * 0x1p-52;
        double v = d->low + (d->high - d->low) * u;
        if (d->low < d->high && v >= d->high) v = nextafter(d->high, d->low);
        return v;
    }
    long double ua = ((long double)(((uint64_t)x[0] << 20) | (x[1] >> 12)) + 0.5L) * 0x1p-52L;
    long double ub = ((long double)(((uint64_t)x[2] << 20) | (x[3] >> 12)) + 0.5L) * 0x1p-52L;
    long double r = sqrtl(-2.0L * logl(ua));
    long double theta = 6.283185307179586476925286766559L * ub;
    long double z = (i & 1) ? r * sinl(theta) : r * cosl(theta);
    return (long double)d->mean + (long double)d->std * z;
}

static void oracle_check(const gcase *c, const clinit_distribution *d, int k)
{
    char what[256];
    describe(c, what, sizeof what);
    clinit_dtype dt = c->t.dtype;
    uint64_t i = c->idx[k];
    if (dt == CLINIT_F64) {
        double golden;
        memcpy(&golden, &c->bits[k], sizeof golden);
        long double v = oracle64(c, d, i);
        if (d->kind != CLINIT_DIST_NORMAL && (double)v != golden)
            fail_msg("%s index %" PRIu64 ": oracle %.17g, golden %.17g", what, i, (double)v, golden);
        /* ln, √, sin/cos of generate64.h within 0.89 ulp, 0.81 ulp and 1.6e-16 put z within about 3.1e-15 of
         * exact (|z| ≤ 8.57); the bound allows 4.5 times that, and the two roundings of mean + std·z. */
        double tol =
            0x1p-46 * (d->std + fabs(golden - d->mean)) + 2 * (nextafter(fabs(golden), INFINITY) - fabs(golden));
        if (d->kind == CLINIT_DIST_NORMAL && fabsl(v - golden) > tol)
            fail_msg("%s index %" PRIu64 ": Box-Muller in long double %.17Lg, golden %.17g: beyond %.3g", what, i, v,
                     golden, tol);
        return;
    }
    double v = oracle32(c, d, i);
    uint16_t half = (uint16_t)c->bits[k];
    double golden = dt == CLINIT_F32 ? (double)sup_from_bits((uint32_t)c->bits[k]) : sup_value(&half, dt, 0);
    float mean = (float)d->mean, std = (float)d->std;
    if (d->kind == CLINIT_DIST_NORMAL) {
        double tol = sup_normal_tol((float)golden, mean, std) + (dt == CLINIT_F32 ? 0 : grid_half_gap(dt, golden));
        if (fabs(v - golden) > tol)
            fail_msg("%s index %" PRIu64 ": exact Box-Muller %.9g, golden %.9g: beyond %.3g", what, i, v, golden, tol);
        return;
    }
    if (dt != CLINIT_F32) {
        if (d->kind == CLINIT_DIST_UNIFORM) {
            /* clamped to the dtype's values inside the float interval [lo, hi), then rounded */
            double lo = grid_ceil(dt, (float)d->low), hi = grid_below(dt, (float)d->high);
            v = v < lo ? lo : v > hi ? hi : v;
        }
        v = grid_round(dt, v);
    }
    if (v != golden || signbit(v) != signbit(golden))
        fail_msg("%s index %" PRIu64 ": oracle %.9g, golden %.9g", what, i, v, golden);
}

static void test_oracle_matches_golden(void **state)
{
    (void)state;
    int checked = 0;
    for (int i = 0; i < ncases; i++) {
        const gcase *c = &cases[i];
        if (c->dist > CLINIT_DIST_NORMAL) continue;
        clinit_distribution d;
        assert_int_equal(clinit_init_resolve(&c->spec, &c->t, &d), CLINIT_SUCCESS);
        for (int k = 0; k < c->nv; k++, checked++) oracle_check(c, &d, k);
    }
    assert_true(checked >= 1000);
}

/* ------------------------------------------------------------------------------------------------------------
 * Device
 * --------------------------------------------------------------------------------------------------------- */

static int device_runs(const sup_env *e, const gcase *c)
{
    static int said;
    if (c->t.dtype != CLINIT_F64 || sup_has_fp64(e)) return 1;
    if (!said++) print_message("the device has no cl_khr_fp64: f64 cases are checked on the host only\n");
    return 0;
}

/* One-element boxes, each its own fill, all into one buffer: element k at slot 2k + 1, the slots between them
 * and a guard band after the last left as sentinels. */
static void device_elements(const sup_env *e, const gcase *c)
{
    int n = c->nv;
    size_t size = clinit_dtype_size(c->t.dtype), bytes = (2 * (size_t)n + 1) * size + SUP_GUARD;
    cl_mem buf = sup_buffer(e, bytes);
    sup_fill_pattern(e, buf, bytes, SUP_SENTINEL);
    for (int j = 0; j < n; j++) {
        clinit_tensor t = element_box(c, c->idx[j]);
        t.buffer = buf;
        t.offset_bytes = (2 * (size_t)j + 1) * size;
        SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &t, &c->spec, c->seed, c->stream, 0, NULL, NULL));
    }
    unsigned char *all = malloc(bytes);
    assert_non_null(all);
    sup_read(e, buf, 0, bytes, all);
    clReleaseMemObject(buf);
    for (int j = 0; j <= n; j++)
        sup_assert_pattern(all, 2 * (size_t)j * size, (2 * (size_t)j + 1) * size, SUP_SENTINEL);
    sup_assert_pattern(all, (2 * (size_t)n + 1) * size, bytes, SUP_SENTINEL);
    for (int j = 0; j < n; j++) expect_at(c, j, all, 2 * (size_t)j + 1, "device element");
    free(all);
}

static void test_device_elements(void **state)
{
    sup_env *e = SUP_ENV(state);
    for (int i = 0; i < ncases; i++) {
        const gcase *c = &cases[i];
        if (!device_runs(e, c)) continue;
        device_elements(e, c);
    }
}

/* Whole tensors at byte offset 0 (the 16-element vector stores aligned) and at 3 elements (unaligned). */
static void test_device_whole(void **state)
{
    sup_env *e = SUP_ENV(state);
    for (int i = 0; i < ncases; i++) {
        const gcase *c = &cases[i];
        if (c->numel > DEVICE_WHOLE || !device_runs(e, c)) continue;
        for (size_t at = 0; at <= 3; at += 3) {
            void *v = sup_device_fill(e, &c->t, &c->spec, c->seed, c->stream, at * clinit_dtype_size(c->t.dtype));
            expect_fill(c, &c->t, v, at ? "device whole tensor at an offset of 3 elements" : "device whole tensor");
            free(v);
        }
    }
}

static void test_device_boxes(void **state)
{
    sup_env *e = SUP_ENV(state);
    int n = 0;
    for (int i = 0; i < ncases; i++) {
        const gcase *c = &cases[i];
        if (!c->boxed.has_box || !device_runs(e, c)) continue;
        void *v = sup_device_fill(e, &c->boxed, &c->spec, c->seed, c->stream, clinit_dtype_size(c->t.dtype));
        expect_fill(c, &c->boxed, v, "device box");
        free(v);
        n++;
    }
    assert_true(n >= 20);
}

/* clinit_fill_batch of every element-wise case, items in one buffer: its one-element boxes as in
 * test_device_elements, its whole tensor when small, its box; one element of sentinel between items. */
typedef struct batch_ref {
    const gcase *c;
    int k; /* the value of a one-element item; -1 for a whole or box item */
} batch_ref;

static void test_device_batch(void **state)
{
    sup_env *e = SUP_ENV(state);
    size_t cap = 1024, n = 0, bytes = 0;
    clinit_batch_item *items = malloc(cap * sizeof *items);
    batch_ref *refs = malloc(cap * sizeof *refs);
    assert_true(items && refs);
    for (int i = 0; i < ncases; i++) {
        const gcase *c = &cases[i];
        if (c->dist > CLINIT_DIST_TRUNCATED_NORMAL || !device_runs(e, c)) continue;
        for (int k = -2; k < c->nv; k++) {
            clinit_tensor t = k >= 0 ? element_box(c, c->idx[k]) : k == -2 ? c->t : c->boxed;
            if ((k == -2 && c->numel > DEVICE_WHOLE) || (k == -1 && !c->boxed.has_box)) continue;
            if (n == cap) {
                cap *= 2;
                items = realloc(items, cap * sizeof *items);
                refs = realloc(refs, cap * sizeof *refs);
                assert_true(items && refs);
            }
            size_t size = clinit_dtype_size(t.dtype);
            bytes = (bytes + size - 1) / size * size + size; /* aligned, then one element of sentinel */
            t.offset_bytes = bytes;
            bytes += sup_numel(&t) * size;
            items[n] = (clinit_batch_item){.tensor = t, .spec = c->spec, .stream = c->stream};
            refs[n++] = (batch_ref){c, k};
        }
    }
    /* clinit_fill_batch takes one seed: one call per seed (the cases that share one share a call), all into
     * the one buffer */
    bytes += SUP_GUARD;
    cl_mem buf = sup_buffer(e, bytes);
    sup_fill_pattern(e, buf, bytes, SUP_SENTINEL);
    clinit_batch_item *same = malloc(n * sizeof *same);
    char *done = calloc(n, 1);
    assert_true(same && done);
    for (size_t a = 0; a < n; a++) {
        if (done[a]) continue;
        size_t m = 0;
        for (size_t j = a; j < n; j++)
            if (!done[j] && refs[j].c->seed == refs[a].c->seed) {
                same[m] = items[j];
                same[m++].tensor.buffer = buf;
                done[j] = 1;
            }
        SUP_OK(e->ctx, clinit_fill_batch(e->ctx, e->queue, same, m, refs[a].c->seed, 0, NULL, NULL));
    }
    free(same);
    free(done);
    unsigned char *all = malloc(bytes), *mine = calloc(bytes, 1);
    assert_true(all && mine);
    sup_read(e, buf, 0, bytes, all);
    clReleaseMemObject(buf);
    for (size_t j = 0; j < n; j++) {
        const clinit_tensor *t = &items[j].tensor;
        const gcase *c = refs[j].c;
        size_t size = clinit_dtype_size(t->dtype);
        memset(mine + t->offset_bytes, 1, sup_numel(t) * size);
        if (refs[j].k >= 0)
            expect_at(c, refs[j].k, all + t->offset_bytes, 0, "device batch element");
        else
            expect_fill(c, t, all + t->offset_bytes, t->has_box ? "device batch box" : "device batch whole tensor");
    }
    for (size_t b = 0; b < bytes; b++)
        if (!mine[b] && all[b] != SUP_SENTINEL) fail_msg("batch: byte %zu outside every item was written", b);
    free(all);
    free(mine);
    free(items);
    free(refs);
}

int main(void)
{
    sup_apply_filter();
    for (int g = 1; g <= CLINIT_GENERATION_VERSION; g++)
        if (load_file(g) != 0) return 1;
    const struct CMUnitTest host_tests[] = {
        cmocka_unit_test(test_file_complete),
        cmocka_unit_test(test_stream_names),
        cmocka_unit_test(test_reference_matches_golden),
        cmocka_unit_test(test_oracle_matches_golden),
    };
    const struct CMUnitTest device_tests[] = {
        cmocka_unit_test(test_device_elements),
        cmocka_unit_test(test_device_whole),
        cmocka_unit_test(test_device_boxes),
        cmocka_unit_test(test_device_batch),
    };
    int failed = cmocka_run_group_tests_name("golden_host", host_tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("golden_device", device_tests, sup_group_setup, sup_group_teardown);
    for (int i = 0; i < ncases; i++) {
        free(cases[i].idx);
        free(cases[i].bits);
    }
    free(cases);
    return failed ? 1 : 0;
}
