/* Command-line parsing. Numbers are parsed by hand because strtoull accepts signs and blanks and
 * silently negates "-1" into 2^64-1, which a seed or a dimension must never become. */
#include "args.h"

#include "cli.h"
#include "suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_opt *find_opt(const cli_opt *opts, size_t nopts, const char *arg, size_t name_len)
{
    for (size_t i = 0; i < nopts; i++)
        if (strlen(opts[i].name) == name_len && strncmp(opts[i].name, arg, name_len) == 0) return &opts[i];
    return NULL;
}

static int list_push(cli_list *list, const char *item)
{
    const char **grown = realloc(list->items, (list->count + 1) * sizeof *grown);
    if (!grown) return cli_runtime_error("out of host memory parsing the arguments");
    grown[list->count++] = item;
    list->items = grown;
    return CLI_OK;
}

/* Applies one option; *i advances past a value taken from the next argument. That argument is no value when
 * it starts with "--": no value of any option does, and taking it would swallow the next option and blame
 * the argument after it ("--shape --out p.npy"). "--name=--x" still passes such a value; "-1" stays a value. */
static int take_opt(const cli_opt *o, const char *inline_value, int argc, char **argv, int *i)
{
    if (o->kind == CLI_OPT_FLAG) {
        if (inline_value) return cli_usage_error("%s takes no value", o->name);
        /* as a value given twice: a repeated flag is more likely a mistake than an emphasis */
        if (*(int *)o->dest) return cli_usage_error("%s given twice", o->name);
        *(int *)o->dest = 1;
        return CLI_OK;
    }
    const char *value = inline_value;
    if (!value) {
        if (*i + 1 >= argc) return cli_usage_error("%s: %s needs a value", argv[0], o->name);
        if (strncmp(argv[*i + 1], "--", 2) == 0)
            return cli_usage_error("%s: %s needs a value, not the option %s (%s=VALUE takes any text)", argv[0],
                                   o->name, argv[*i + 1], o->name);
        value = argv[++*i];
    }
    if (o->kind == CLI_OPT_LIST) return list_push(o->dest, value);
    const char **dest = o->dest;
    if (*dest) return cli_usage_error("%s given twice", o->name);
    *dest = value;
    return CLI_OK;
}

static int unknown_option(const char *command, const char *arg, size_t name_len, const cli_opt *opts, size_t nopts)
{
    char names[512] = "", option[128];
    size_t used = 0;
    for (size_t i = 0; i < nopts && used < sizeof names; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", opts[i].name);
    snprintf(option, sizeof option, "%.*s", (int)name_len, arg);
    return cli_usage_error("%s: unknown option %s: %s (see %s %s --help)", command, option,
                           nopts ? cli_suggest(option, names) : "it takes none", cli_program(), command);
}

/* The parse table is the documented one, kind for kind (see cli_parse). */
static int check_documented(const char *command, const cli_opt *opts, size_t nopts)
{
    const cli_command_doc *doc = cli_command_doc_find(command);
    if (!doc) return CLI_OK;
    for (size_t i = 0; i < nopts; i++) {
        size_t j = 0;
        while (j < doc->nopts && strcmp(doc->opts[j].name, opts[i].name) != 0) j++;
        if (j == doc->nopts || doc->opts[j].kind != opts[i].kind)
            return cli_runtime_error("internal error: %s %s is %s in the help's table (host/cli/usage.c)", command,
                                     opts[i].name, j == doc->nopts ? "missing" : "of another kind");
    }
    for (size_t j = 0; j < doc->nopts; j++) {
        size_t i = 0;
        while (i < nopts && strcmp(doc->opts[j].name, opts[i].name) != 0) i++;
        if (i == nopts)
            return cli_runtime_error("internal error: %s %s is documented but not parsed", command, doc->opts[j].name);
    }
    return CLI_OK;
}

int cli_parse(int argc, char **argv, const cli_opt *opts, size_t nopts, const char **pos, size_t max_pos, size_t *npos)
{
    int options_done = 0;
    *npos = 0;
    if (check_documented(argv[0], opts, nopts) != CLI_OK) return CLI_RUNTIME;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!options_done && strcmp(arg, "--") == 0) {
            options_done = 1;
        } else if (!options_done && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
            cli_usage(argv[0]);
            return -1;
        } else if (!options_done && arg[0] == '-' && arg[1] != '\0') {
            const char *eq = strchr(arg, '=');
            size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
            const cli_opt *o = find_opt(opts, nopts, arg, name_len);
            if (!o) return unknown_option(argv[0], arg, name_len, opts, nopts);
            int rc = take_opt(o, eq ? eq + 1 : NULL, argc, argv, &i);
            if (rc != CLI_OK) return rc;
        } else {
            if (*npos == max_pos) return cli_usage_error("%s: unexpected argument \"%s\"", argv[0], arg);
            pos[(*npos)++] = arg;
        }
    }
    return CLI_OK;
}

static int digit_value(char c, unsigned base)
{
    unsigned v = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                 : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                        : 99u;
    return v < base ? (int)v : -1;
}

/* Digits of text[0..len) in base, at most max; 0 on success. */
static int parse_digits(const char *text, size_t len, unsigned base, uint64_t max, uint64_t *out)
{
    if (len == 0) return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        int d = digit_value(text[i], base);
        if (d < 0 || v > (max - (uint64_t)d) / base) return -1;
        v = v * base + (uint64_t)d;
    }
    *out = v;
    return 0;
}

int cli_parse_u64(const char *text, uint64_t *out)
{
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        return parse_digits(text + 2, strlen(text + 2), 16, UINT64_MAX, out);
    return parse_digits(text, strlen(text), 10, UINT64_MAX, out);
}

int cli_u64_option(const char *flag, const char *text, uint64_t *out)
{
    if (!text || cli_parse_u64(text, out) == 0) return CLI_OK;
    return cli_usage_error("%s \"%s\": not an unsigned 64-bit integer (decimal, or 0x and hex digits)", flag, text);
}

/* Whether text can only be a number gone wrong: blanks, a sign, then decimal digits, or 0x and hex digits (or
 * none), then blanks. */
static int number_like(const char *text)
{
    const char *p = text + strspn(text, " \t"), *set = "0123456789";
    p += (*p == '+' || *p == '-');
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        set = "0123456789abcdefABCDEF";
    } else if (!strchr(set, *p) || !*p) {
        return 0;
    }
    p += strspn(p, set);
    return p[strspn(p, " \t")] == '\0';
}

int cli_stream_option(const char *text, uint64_t *out)
{
    if (!text || cli_parse_u64(text, out) == 0) return CLI_OK;
    if (*text == '\0')
        return cli_usage_error("--stream \"\": empty: a stream (an unsigned 64-bit integer) or a tensor name");
    if (number_like(text))
        return cli_usage_error("--stream \"%s\": a number, but not an unsigned 64-bit integer (decimal, or 0x and hex "
                               "digits; no sign, no blanks); any other text is a tensor name",
                               text);
    *out = clinit_stream_from_name(text);
    return CLI_OK;
}

int cli_generation_option(const char *text, int *out)
{
    uint64_t g = 0;
    *out = 0;
    if (!text) return CLI_OK;
    if (cli_parse_u64(text, &g) != 0 || g < 1 || g > CLINIT_GENERATION_VERSION)
        return cli_usage_error(
            "--generation \"%s\": the generation contract of docs/ALGORITHMS.md is 1 to %d (without the option: "
            "%d, the newest; for init, the manifest's \"generation\" if it has one)",
            text, CLINIT_GENERATION_VERSION, CLINIT_GENERATION_VERSION);
    *out = (int)g;
    return CLI_OK;
}

int cli_parse_ints(const char *text, const char *what, int negative_ok, int64_t out[CLINIT_MAX_RANK], int *n, char *why,
                   size_t why_size)
{
    int r = 0;
    for (const char *p = text; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        uint64_t v;
        if (r == CLINIT_MAX_RANK) {
            snprintf(why, why_size, "more than %d values", CLINIT_MAX_RANK);
            return -1;
        }
        int minus = negative_ok && len > 0 && p[0] == '-';
        if (parse_digits(p + minus, len - (size_t)minus, 10, INT64_MAX, &v) != 0) {
            snprintf(why, why_size, "%s %d \"%.*s\" is not a%s integer below 2^63", what, r, (int)len, p,
                     negative_ok ? "n" : " non-negative");
            return -1;
        }
        out[r++] = minus ? -(int64_t)v : (int64_t)v;
        if (comma && comma[1] == '\0') {
            snprintf(why, why_size, "trailing comma");
            return -1;
        }
        p += len + (comma != NULL);
    }
    *n = r;
    return 0;
}

int cli_parse_shape(const char *text, int *rank, int64_t shape[CLINIT_MAX_RANK], char *why, size_t why_size)
{
    return cli_parse_ints(text, "dimension", 0, shape, rank, why, why_size);
}

int cli_utf8_valid(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        unsigned c = *p++;
        int more;
        unsigned min, cp;
        if (c < 0x80) continue;
        if (c >= 0xC2 && c <= 0xDF)
            more = 1, min = 0x80, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            more = 2, min = 0x800, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            more = 3, min = 0x10000, cp = c & 0x07;
        else
            return 0; /* a continuation byte first, C0/C1 (overlong ASCII) or F5..FF */
        for (int k = 0; k < more; k++, p++) {
            if ((*p & 0xC0) != 0x80) return 0; /* also the terminating NUL */
            cp = cp << 6 | (*p & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0; /* overlong, too large, surrogate */
    }
    return 1;
}
