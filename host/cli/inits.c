/* `clinit inits`: the initializers and their parameters as the library's registry states them
 * (clinit_init_get_info, clinit_init_get_param_info), as text for people or as JSON for tools. */
#include "args.h"
#include "cli.h"
#include "spec.h"
#include "suggest.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* clinit_dist_kind's names, as the Python binding's Distribution.kind and summaries say them. */
static const char *const dist_names[] = {
    [CLINIT_DIST_CONSTANT] = "constant",     [CLINIT_DIST_UNIFORM] = "uniform",
    [CLINIT_DIST_NORMAL] = "normal",         [CLINIT_DIST_TRUNCATED_NORMAL] = "truncated_normal",
    [CLINIT_DIST_ORTHOGONAL] = "orthogonal", [CLINIT_DIST_STRUCTURED] = "structured",
    [CLINIT_DIST_SPARSE] = "sparse",
};
_Static_assert(sizeof dist_names / sizeof dist_names[0] == CLINIT_DIST_SPARSE + 1, "one name per clinit_dist_kind");

static const char *const layout_names[] = {
    [CLINIT_LAYOUT_OI] = "oi", [CLINIT_LAYOUT_IO] = "io", [CLINIT_LAYOUT_AXES] = "axes"};
_Static_assert(sizeof layout_names / sizeof layout_names[0] == CLINIT_LAYOUT_AXES + 1, "one name per clinit_layout");

static const char *const type_names[] = {[CLINIT_PARAM_REAL] = "real",
                                         [CLINIT_PARAM_INTEGER] = "integer",
                                         [CLINIT_PARAM_NAME] = "name",
                                         [CLINIT_PARAM_AXIS] = "axis"};
_Static_assert(sizeof type_names / sizeof type_names[0] == CLINIT_PARAM_AXIS + 1, "one name per clinit_param_type");

#define WIDTH 105

/* The name at index i of a ", "-separated list, into out. */
static void nth_name(const char *list, int i, char *out, size_t size)
{
    for (; i > 0 && list; i--) list = strchr(list, ',') ? strchr(list, ',') + 2 : NULL;
    snprintf(out, size, "%.*s", list ? (int)strcspn(list, ",") : 0, list ? list : "");
}

/* "real in [0, inf)", "integer >= 1", "fan_in or fan_out": what a parameter accepts. */
static void accepted(const clinit_param_info *p, char *out, size_t size)
{
    if (p->type == CLINIT_PARAM_NAME) {
        const char *last = strrchr(p->values, ',');
        if (!last)
            snprintf(out, size, "%s", p->values);
        else
            snprintf(out, size, "%.*s or %s", (int)(last - p->values), p->values, last + 2);
        return;
    }
    if (p->type == CLINIT_PARAM_INTEGER) {
        snprintf(out, size, "integer >= %.0f", p->min);
        return;
    }
    if (p->type == CLINIT_PARAM_AXIS) {
        snprintf(out, size, "axis in [%.0f, %.0f] (negative from the end), within the rank", p->min, p->max);
        return;
    }
    snprintf(out, size, "real in %c%g, %g%c", p->min_open ? '(' : '[', p->min, p->max, p->max_open ? ')' : ']');
}

/* Prints text from column `column` on, wrapped at WIDTH under column `indent`, then a newline. */
static void wrapped(const char *text, int column, int indent)
{
    while (*text) {
        size_t word = strcspn(text, " ");
        if (column > indent && column + 1 + (int)word > WIDTH) {
            printf("\n%*s", indent, "");
            column = indent;
        } else if (column > indent) {
            putchar(' ');
            column++;
        }
        printf("%.*s", (int)word, text);
        column += (int)word;
        text += word;
        text += strspn(text, " ");
    }
    putchar('\n');
}

static void print_text(clinit_init_kind kind)
{
    clinit_init_info info;
    clinit_init_get_info(kind, &info);
    char line[1024], what[512], def[64];
    printf("%s\n  ", info.name);
    wrapped(info.doc, 2, 2);
    printf("  source: ");
    wrapped(info.source, 10, 10);
    size_t used = (size_t)snprintf(line, sizeof line, "rank %d", info.min_rank);
    if (info.max_rank > info.min_rank) used += (size_t)snprintf(line + used, sizeof line - used, "-%d", info.max_rank);
    used +=
        (size_t)snprintf(line + used, sizeof line - used, "%s; layout", info.needs_fans ? ", fans from the shape" : "");
    for (int l = 0, n = 0; l <= CLINIT_LAYOUT_AXES; l++)
        if (info.layouts & (1u << l))
            used += (size_t)snprintf(line + used, sizeof line - used, "%s %s", n++ ? "," : "", layout_names[l]);
    printf("  tensor: %s\n", line);
    if (info.param_count == 0) printf("  (no parameters)\n");
    for (int i = 0; i < info.param_count; i++) {
        clinit_param_info p;
        clinit_init_get_param_info(kind, i, &p);
        accepted(&p, what, sizeof what);
        if (p.required)
            snprintf(def, sizeof def, "required");
        else if (p.type == CLINIT_PARAM_AXIS)
            snprintf(def, sizeof def, "default unset");
        else if (p.type == CLINIT_PARAM_NAME) {
            char value[48];
            nth_name(p.values, (int)p.default_value, value, sizeof value);
            snprintf(def, sizeof def, "default %s", value);
        } else
            snprintf(def, sizeof def, "default %g", p.default_value);
        snprintf(line, sizeof line, "%s; %s: %s", what, def, p.doc);
        printf("  %-13s ", p.name);
        wrapped(line, 16, 16);
    }
}

/* A range end for JSON, which has no infinities: the number, or "inf" / "-inf"; an integer's exactly. */
static cJSON *json_end(const clinit_param_info *p, double v)
{
    if (isinf(v)) return cJSON_CreateString(v < 0 ? "-inf" : "inf");
    if (isnan(v)) return cJSON_CreateNull(); /* an axis unset by default */
    if (p->type == CLINIT_PARAM_INTEGER || p->type == CLINIT_PARAM_AXIS) {
        char text[32];
        snprintf(text, sizeof text, "%lld", v >= 0x1p63 ? 9223372036854775807LL : (long long)v);
        return cJSON_CreateRaw(text);
    }
    return cJSON_CreateNumber(v);
}

static cJSON *json_param(clinit_init_kind kind, int i)
{
    clinit_param_info p;
    clinit_init_get_param_info(kind, i, &p);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", p.name);
    cJSON_AddStringToObject(o, "type", type_names[p.type]);
    cJSON_AddBoolToObject(o, "required", p.required);
    if (p.type == CLINIT_PARAM_NAME) {
        char def[64];
        nth_name(p.values, (int)p.default_value, def, sizeof def);
        cJSON_AddStringToObject(o, "default", def);
        cJSON *values = cJSON_AddArrayToObject(o, "values");
        for (int v = 0; v < p.value_count; v++) {
            nth_name(p.values, v, def, sizeof def);
            cJSON_AddItemToArray(values, cJSON_CreateString(def));
        }
    } else {
        cJSON_AddItemToObject(o, "default", json_end(&p, p.default_value));
        cJSON_AddItemToObject(o, "min", json_end(&p, p.min));
        cJSON_AddItemToObject(o, "max", json_end(&p, p.max));
        cJSON_AddBoolToObject(o, "min_open", p.min_open);
        cJSON_AddBoolToObject(o, "max_open", p.max_open);
    }
    cJSON_AddStringToObject(o, "doc", p.doc);
    return o;
}

static cJSON *json_init(clinit_init_kind kind)
{
    clinit_init_info info;
    clinit_init_get_info(kind, &info);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", info.name);
    cJSON_AddStringToObject(o, "doc", info.doc);
    cJSON_AddStringToObject(o, "source", info.source);
    cJSON_AddStringToObject(o, "distribution", dist_names[info.dist]);
    cJSON_AddBoolToObject(o, "needs_fans", info.needs_fans);
    cJSON_AddNumberToObject(o, "min_rank", info.min_rank);
    cJSON_AddNumberToObject(o, "max_rank", info.max_rank);
    cJSON *layouts = cJSON_AddArrayToObject(o, "layouts");
    for (int l = 0; l <= CLINIT_LAYOUT_AXES; l++)
        if (info.layouts & (1u << l)) cJSON_AddItemToArray(layouts, cJSON_CreateString(layout_names[l]));
    cJSON *params = cJSON_AddArrayToObject(o, "params");
    for (int i = 0; i < info.param_count; i++) cJSON_AddItemToArray(params, json_param(kind, i));
    return o;
}

static int print_json(int first, int end)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *list = root ? cJSON_AddArrayToObject(root, "initializers") : NULL;
    for (int k = first; list && k < end; k++) cJSON_AddItemToArray(list, json_init((clinit_init_kind)k));
    char *text = list ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text) return cli_runtime_error("out of host memory");
    puts(text);
    free(text);
    return CLI_OK;
}

int cli_inits(int argc, char **argv)
{
    int json = 0;
    const char *name = NULL;
    size_t npos = 0;
    const cli_opt opts[] = {{"--json", CLI_OPT_FLAG, &json}};
    int rc = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], &name, 1, &npos);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    int first = 0, end = clinit_init_count();
    if (name) {
        clinit_init_kind kind;
        if (clinit_init_from_name(name, &kind) != CLINIT_SUCCESS)
            return cli_usage_error("inits: unknown initializer \"%s\": %s", name, cli_suggest(name, cli_init_names()));
        first = (int)kind;
        end = first + 1;
    }
    if (json) return print_json(first, end);
    for (int k = first; k < end; k++) {
        if (k > first) putchar('\n');
        print_text((clinit_init_kind)k);
    }
    return CLI_OK;
}
