// SPDX-License-Identifier: GPL-2.0-only
/* config.c: parse and check domain configuration files (xl.cfg syntax). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/config.h"
#include "../../drivers/xen/pciback/bdf.h"

#define KEY_MAX		64	/* longest key name, with NUL */
#define LIST_MAX	256	/* items in one [list] */
#define KEYS_MAX	32	/* rows the key table may grow to */
#define FILE_MAX	(1 << 20)

enum value_type { V_INT, V_STRING, V_LIST };

static const char *const type_names[] = {
	[V_INT] = "a number",
	[V_STRING] = "a quoted string",
	[V_LIST] = "a [list] of quoted strings",
};

struct value {
	enum value_type type;
	long long num;
	char *str;			/* V_STRING: owned, NUL-terminated */
	char **items;			/* V_LIST: owned strings */
	int nr_items;
};

struct parser {
	const char *p, *end;
	const char *filename;
	int line;
	char key[KEY_MAX];		/* key of the statement being parsed */
	char *err;
	size_t errlen;
	struct hv_config *cfg;
	char dir[HV_CONFIG_PATH_MAX];	/* directory of the file, for paths */
	int key_line[KEYS_MAX];		/* where each key was set, 0 if not */
	char root[HV_CONFIG_CMDLINE_MAX], extra[HV_CONFIG_CMDLINE_MAX];
};

static int fail(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *ps, const char *fmt, ...)
{
	char msg[HV_CONFIG_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->key[0])
		snprintf(ps->err, ps->errlen, "%s:%d: key '%s': %s",
			 ps->filename, ps->line, ps->key, msg);
	else
		snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->filename, ps->line, msg);
	return -1;
}

static void value_free(struct value *v)
{
	int i;

	free(v->str);
	for (i = 0; i < v->nr_items; i++)
		free(v->items[i]);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

/* Skip blanks and comments; newlines too inside a list. */
static void skip_space(struct parser *ps, int newlines)
{
	while (ps->p < ps->end) {
		char c = *ps->p;

		if (c == '#') {
			while (ps->p < ps->end && *ps->p != '\n')
				ps->p++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			ps->p++;
		} else if (c == '\n' && newlines) {
			ps->line++;
			ps->p++;
		} else {
			break;
		}
	}
}

/* A quoted string on one line; backslash escapes \\ \' \" \n \t. */
static int parse_string(struct parser *ps, char **out)
{
	char quote = *ps->p++;
	const char *start = ps->p;
	char *s;
	size_t n = 0;

	while (ps->p < ps->end && *ps->p != quote && *ps->p != '\n') {
		if (*ps->p == '\\' && ps->p + 1 < ps->end && ps->p[1] != '\n')
			ps->p++;
		ps->p++;
	}
	if (ps->p >= ps->end || *ps->p != quote)
		return fail(ps, "unterminated string");
	s = malloc((size_t)(ps->p - start) + 1);
	if (!s)
		return fail(ps, "out of memory");
	for (; start < ps->p; start++) {
		if (*start != '\\') {
			s[n++] = *start;
			continue;
		}
		switch (*++start) {
		case '\\': case '\'': case '"':
			s[n++] = *start;
			break;
		case 'n':
			s[n++] = '\n';
			break;
		case 't':
			s[n++] = '\t';
			break;
		default:
			free(s);
			return fail(ps, "unknown escape '\\%c' in a string (write \\\\ for a backslash)",
				    *start);
		}
	}
	s[n] = '\0';
	ps->p++;
	*out = s;
	return 0;
}

/* Decimal, 0x hexadecimal or 0 octal, as xl reads numbers. */
static int parse_int(struct parser *ps, long long *out)
{
	const char *start = ps->p;
	char buf[32];
	size_t len;
	char *endp;

	if (*ps->p == '-' || *ps->p == '+')
		ps->p++;
	while (ps->p < ps->end && (isalnum((unsigned char)*ps->p) || *ps->p == '.'))
		ps->p++;
	len = (size_t)(ps->p - start);
	if (len >= sizeof(buf))
		return fail(ps, "number out of range");
	memcpy(buf, start, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtoll(buf, &endp, 0);
	if (*endp || endp == buf)
		return fail(ps, "'%s' is not a whole number", buf);
	if (errno == ERANGE)
		return fail(ps, "number out of range");
	return 0;
}

static int parse_list(struct parser *ps, struct value *v)
{
	int first_line = ps->line;

	v->type = V_LIST;
	ps->p++;
	for (;;) {
		skip_space(ps, 1);
		if (ps->p >= ps->end) {
			ps->line = first_line;
			return fail(ps, "unterminated list (no ']' before the end of the file)");
		}
		if (*ps->p == ']') {
			ps->p++;
			return 0;
		}
		if (*ps->p != '"' && *ps->p != '\'')
			return fail(ps, "list items must be quoted strings");
		if (v->nr_items == LIST_MAX)
			return fail(ps, "more than %d list items", LIST_MAX);
		if (!(v->nr_items & 7)) {
			char **items = realloc(v->items, (size_t)(v->nr_items + 8) * sizeof(*items));

			if (!items)
				return fail(ps, "out of memory");
			v->items = items;
		}
		if (parse_string(ps, &v->items[v->nr_items]))
			return -1;
		v->nr_items++;
		skip_space(ps, 1);
		if (ps->p < ps->end && *ps->p == ',')
			ps->p++;
		else if (ps->p < ps->end && *ps->p != ']')
			return fail(ps, "expected ',' or ']' in the list");
	}
}

static int parse_value(struct parser *ps, struct value *v)
{
	char c;

	if (ps->p >= ps->end || *ps->p == '\n' || *ps->p == '#' || *ps->p == ';')
		return fail(ps, "missing value");
	c = *ps->p;
	if (c == '"' || c == '\'') {
		v->type = V_STRING;
		return parse_string(ps, &v->str);
	}
	if (c == '[')
		return parse_list(ps, v);
	if (isdigit((unsigned char)c) || c == '-' || c == '+') {
		v->type = V_INT;
		return parse_int(ps, &v->num);
	}
	return fail(ps, "a value is a number, a quoted string or a [list]");
}

/* Key handlers: the value has the key's type; check it and store it. */

static int int_range(struct parser *ps, const struct value *v, long long lo,
		     long long hi)
{
	if (v->num < lo || v->num > hi)
		return fail(ps, "%lld is out of range (%lld..%lld)", v->num, lo, hi);
	return 0;
}

static int set_name(struct parser *ps, const struct value *v)
{
	const char *s;

	if (!v->str[0])
		return fail(ps, "empty name");
	if (strlen(v->str) >= HV_CONFIG_NAME_MAX)
		return fail(ps, "longer than %d characters", HV_CONFIG_NAME_MAX - 1);
	/* ASCII only, whatever the locale: hv.ko takes exactly these. */
	for (s = v->str; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.-", *s))
			return fail(ps, "'%c' is not allowed (letters, digits, '_', '.', '-')", *s);
	strcpy(ps->cfg->name, v->str);
	return 0;
}

/* MiB; the ceiling keeps memory << 20 within 64 bits with room to spare. */
#define MEMORY_MAX_MIB (1LL << 30)

static int set_memory(struct parser *ps, const struct value *v)
{
	if (int_range(ps, v, HV_CONFIG_MEMORY_MIN_MIB, MEMORY_MAX_MIB))
		return -1;
	ps->cfg->memory_mib = (uint64_t)v->num;
	return 0;
}

static int set_maxmem(struct parser *ps, const struct value *v)
{
	if (int_range(ps, v, HV_CONFIG_MEMORY_MIN_MIB, MEMORY_MAX_MIB))
		return -1;
	ps->cfg->maxmem_mib = (uint64_t)v->num;
	return 0;
}

static int set_vcpus(struct parser *ps, const struct value *v)
{
	if (int_range(ps, v, 1, HV_CONFIG_VCPUS_MAX))
		return -1;
	ps->cfg->vcpus = (unsigned int)v->num;
	return 0;
}

/* Relative paths are relative to the config file, as in xl. */
static int set_path(struct parser *ps, const struct value *v, char *dst)
{
	int n;

	if (!v->str[0])
		return fail(ps, "empty path");
	if (v->str[0] == '/' || !strcmp(ps->dir, "."))
		n = snprintf(dst, HV_CONFIG_PATH_MAX, "%s", v->str);
	else
		n = snprintf(dst, HV_CONFIG_PATH_MAX, "%s/%s",
			     strcmp(ps->dir, "/") ? ps->dir : "", v->str);
	if (n >= HV_CONFIG_PATH_MAX)
		return fail(ps, "path longer than %d bytes", HV_CONFIG_PATH_MAX - 1);
	return 0;
}

static int set_kernel(struct parser *ps, const struct value *v)
{
	return set_path(ps, v, ps->cfg->kernel);
}

static int set_ramdisk(struct parser *ps, const struct value *v)
{
	return set_path(ps, v, ps->cfg->ramdisk);
}

static int set_text(struct parser *ps, const struct value *v, char *dst)
{
	if (strlen(v->str) >= HV_CONFIG_CMDLINE_MAX)
		return fail(ps, "longer than %d bytes", HV_CONFIG_CMDLINE_MAX - 1);
	strcpy(dst, v->str);
	return 0;
}

static int set_root(struct parser *ps, const struct value *v)
{
	return set_text(ps, v, ps->root);
}

static int set_extra(struct parser *ps, const struct value *v)
{
	return set_text(ps, v, ps->extra);
}

static int set_cmdline(struct parser *ps, const struct value *v)
{
	return set_text(ps, v, ps->cfg->cmdline);
}

static int set_action(struct parser *ps, const struct value *v, enum hv_action *dst)
{
	static const enum hv_action all[] = {
		HV_ACTION_DESTROY, HV_ACTION_RESTART, HV_ACTION_PRESERVE
	};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!strcmp(v->str, hv_action_name(all[i]))) {
			*dst = all[i];
			return 0;
		}
	}
	return fail(ps, "'%s' is not supported: use destroy, restart or preserve", v->str);
}

static int set_on_poweroff(struct parser *ps, const struct value *v)
{
	return set_action(ps, v, &ps->cfg->on_poweroff);
}

static int set_on_reboot(struct parser *ps, const struct value *v)
{
	return set_action(ps, v, &ps->cfg->on_reboot);
}

static int set_on_crash(struct parser *ps, const struct value *v)
{
	return set_action(ps, v, &ps->cfg->on_crash);
}

/* vif = [ 'SPEC', ... ]: xl's vif specs (common/vif_spec.c). */
static int set_vif(struct parser *ps, const struct value *v)
{
	char why[VIF_SPEC_ERR_MAX];
	int i;

	if (v->nr_items > HV_CONFIG_VIFS_MAX)
		return fail(ps, "more than %d network devices", HV_CONFIG_VIFS_MAX);
	for (i = 0; i < v->nr_items; i++)
		if (vif_spec_parse(v->items[i], &ps->cfg->vifs[i], why, sizeof(why)))
			return fail(ps, "item %d: %s", i + 1, why);
	ps->cfg->nr_vifs = (unsigned int)v->nr_items;
	return 0;
}

static int set_disk(struct parser *ps, const struct value *v)
{
	struct hv_config *cfg = ps->cfg;
	char why[DISK_SPEC_ERR_MAX];
	int i, j;

	if (v->nr_items > HV_CONFIG_DISKS_MAX)
		return fail(ps, "%d disks, at most %d", v->nr_items, HV_CONFIG_DISKS_MAX);
	for (i = 0; i < v->nr_items; i++) {
		if (disk_spec_parse(v->items[i], &cfg->disks[i], why, sizeof(why)))
			return fail(ps, "disk %d '%s': %s", i + 1, v->items[i], why);
		for (j = 0; j < i; j++)
			if (cfg->disks[j].devid == cfg->disks[i].devid)
				return fail(ps, "disks %d and %d are both %s", j + 1, i + 1,
					    cfg->disks[i].vdev);
	}
	cfg->nr_disks = (unsigned int)v->nr_items;
	return 0;
}

int hv_config_parse_pci(const char *spec, struct hv_config_pci *out,
			char *err, size_t errlen)
{
	const char *comma = strchr(spec, ','), *opt;
	size_t len = comma ? (size_t)(comma - spec) : strlen(spec);
	struct pciback_bdf b;

	memset(out, 0, sizeof(*out));
	if (pciback_parse_bdf_str(spec, len, false, &b)) {
		snprintf(err, errlen, "'%.*s' is not a PCI address (DDDD:BB:SS.F or BB:SS.F)",
			 (int)len, spec);
		return -1;
	}
	snprintf(out->bdf, sizeof(out->bdf), "%04x:%02x:%02x.%x",
		 (unsigned int)b.domain & 0xffff, (unsigned int)b.bus & 0xff,
		 (unsigned int)b.slot & 0x1f, (unsigned int)b.func & 7);
	for (opt = comma; opt; opt = strchr(opt + 1, ',')) {
		const char *next = strchr(opt + 1, ',');
		size_t olen = next ? (size_t)(next - opt - 1) : strlen(opt + 1);

		if (olen == 12 && !strncmp(opt + 1, "permissive=", 11) &&
		    (opt[12] == '0' || opt[12] == '1')) {
			out->permissive = opt[12] == '1';
		} else {
			snprintf(err, errlen, "'%s': unknown option '%.*s' (known: permissive=0|1)",
				 spec, (int)olen, opt + 1);
			return -1;
		}
	}
	return 0;
}

static int set_pci(struct parser *ps, const struct value *v)
{
	char why[HV_CONFIG_ERR_MAX];
	int i, j;

	if (v->nr_items > HV_CONFIG_PCI_MAX)
		return fail(ps, "%d devices, at most %d", v->nr_items, HV_CONFIG_PCI_MAX);
	for (i = 0; i < v->nr_items; i++) {
		if (hv_config_parse_pci(v->items[i], &ps->cfg->pci[i], why, sizeof(why)))
			return fail(ps, "%s", why);
		for (j = 0; j < i; j++)
			if (!strcmp(ps->cfg->pci[j].bdf, ps->cfg->pci[i].bdf))
				return fail(ps, "%s is listed twice", ps->cfg->pci[i].bdf);
	}
	ps->cfg->nr_pci = (unsigned int)v->nr_items;
	return 0;
}

/*
 * The keys: the value's type is checked before the handler runs. A list
 * key (disk, vif, pci) is one more row of type V_LIST whose handler
 * copies v->items[0..nr_items) into the config.
 */
static const struct config_key {
	const char *name;
	enum value_type type;
	int (*set)(struct parser *ps, const struct value *v);
} keys[] = {
	{ "name", V_STRING, set_name },
	{ "memory", V_INT, set_memory },
	{ "maxmem", V_INT, set_maxmem },
	{ "vcpus", V_INT, set_vcpus },
	{ "kernel", V_STRING, set_kernel },
	{ "ramdisk", V_STRING, set_ramdisk },
	{ "root", V_STRING, set_root },
	{ "extra", V_STRING, set_extra },
	{ "cmdline", V_STRING, set_cmdline },
	{ "on_poweroff", V_STRING, set_on_poweroff },
	{ "on_reboot", V_STRING, set_on_reboot },
	{ "on_crash", V_STRING, set_on_crash },
	{ "vif", V_LIST, set_vif },
	{ "disk", V_LIST, set_disk },
	{ "pci", V_LIST, set_pci },
};

#define NR_KEYS (int)(sizeof(keys) / sizeof(keys[0]))
_Static_assert(sizeof(keys) / sizeof(keys[0]) <= KEYS_MAX, "grow KEYS_MAX");

static int key_index(const char *name)
{
	int i;

	for (i = 0; i < NR_KEYS; i++)
		if (!strcmp(keys[i].name, name))
			return i;
	return -1;
}

static int key_line(const struct parser *ps, const char *name)
{
	return ps->key_line[key_index(name)];
}

static int parse_statement(struct parser *ps)
{
	const char *start = ps->p;
	struct value v = { 0 };
	size_t len;
	int k, err;

	while (ps->p < ps->end && (isalnum((unsigned char)*ps->p) || *ps->p == '_'))
		ps->p++;
	len = (size_t)(ps->p - start);
	if (len == 0)
		return fail(ps, "expected 'key = value'");
	if (len >= sizeof(ps->key))
		return fail(ps, "key longer than %zu characters", sizeof(ps->key) - 1);
	memcpy(ps->key, start, len);
	ps->key[len] = '\0';
	k = key_index(ps->key);
	if (k < 0)
		return fail(ps, "unknown key");
	if (ps->key_line[k])
		return fail(ps, "given twice (first on line %d)", ps->key_line[k]);
	skip_space(ps, 0);
	if (ps->p >= ps->end || *ps->p != '=')
		return fail(ps, "expected '=' after the key");
	ps->p++;
	skip_space(ps, 0);
	err = parse_value(ps, &v);
	if (!err) {
		skip_space(ps, 0);
		if (ps->p < ps->end && *ps->p != '\n' && *ps->p != ';')
			err = fail(ps, "unexpected text after the value");
	}
	if (!err && v.type != keys[k].type)
		err = fail(ps, "expects %s, not %s", type_names[keys[k].type],
			   type_names[v.type]);
	if (!err)
		err = keys[k].set(ps, &v);
	value_free(&v);
	if (err)
		return -1;
	ps->key_line[k] = ps->line;
	return 0;	/* the main loop takes the newline or ';' */
}

/* Checks across keys, and the defaults that depend on other keys. */
static int finish(struct parser *ps)
{
	struct hv_config *cfg = ps->cfg;
	int n;

	/* Missing keys are reported at the last line of the file. */
	ps->key[0] = '\0';
	if (ps->line > 1 && ps->end[-1] == '\n')
		ps->line--;
	if (!key_line(ps, "name"))
		return fail(ps, "key 'name' is required");
	if (!key_line(ps, "kernel"))
		return fail(ps, "key 'kernel' is required");
	if (!key_line(ps, "maxmem")) {
		cfg->maxmem_mib = cfg->memory_mib;
	} else if (cfg->maxmem_mib < cfg->memory_mib) {
		ps->line = key_line(ps, "maxmem");
		strcpy(ps->key, "maxmem");
		return fail(ps, "%llu MiB is below memory (%llu MiB)",
			    (unsigned long long)cfg->maxmem_mib,
			    (unsigned long long)cfg->memory_mib);
	}
	/* As xl: "root=ROOT EXTRA"; cmdline, when given, replaces both. */
	if (key_line(ps, "cmdline"))
		return 0;
	n = snprintf(cfg->cmdline, sizeof(cfg->cmdline), "%s%s%s%s",
		     ps->root[0] ? "root=" : "", ps->root,
		     ps->root[0] && ps->extra[0] ? " " : "", ps->extra);
	if (n >= (int)sizeof(cfg->cmdline)) {
		int root = key_line(ps, "root"), extra = key_line(ps, "extra");

		ps->line = extra > root ? extra : root;
		strcpy(ps->key, extra > root ? "extra" : "root");
		return fail(ps, "the command line \"root=\" + root + extra is longer than %d bytes",
			    HV_CONFIG_CMDLINE_MAX - 1);
	}
	return 0;
}

static void parser_init(struct parser *ps, const char *text, size_t len,
			const char *filename, struct hv_config *cfg, char *err,
			size_t errlen)
{
	const char *slash = strrchr(filename, '/');

	memset(ps, 0, sizeof(*ps));
	ps->p = text;
	ps->end = text + len;
	ps->filename = filename;
	ps->line = 1;
	ps->err = err;
	ps->errlen = errlen;
	ps->cfg = cfg;
	if (!slash)
		strcpy(ps->dir, ".");
	else if (slash == filename)
		strcpy(ps->dir, "/");
	else
		snprintf(ps->dir, sizeof(ps->dir), "%.*s", (int)(slash - filename), filename);

	memset(cfg, 0, sizeof(*cfg));
	cfg->memory_mib = 128;
	cfg->vcpus = 1;
	cfg->on_poweroff = HV_ACTION_DESTROY;
	cfg->on_reboot = HV_ACTION_RESTART;
	cfg->on_crash = HV_ACTION_DESTROY;
}

static int parse(struct parser *ps)
{
	const char *nul = memchr(ps->p, '\0', (size_t)(ps->end - ps->p));

	if (nul) {
		for (const char *q = ps->p; q < nul; q++)
			ps->line += *q == '\n';
		return fail(ps, "NUL byte in the file");
	}
	for (;;) {
		ps->key[0] = '\0';
		skip_space(ps, 0);
		while (ps->p < ps->end && (*ps->p == '\n' || *ps->p == ';')) {
			ps->line += *ps->p == '\n';
			ps->p++;
			skip_space(ps, 0);
		}
		if (ps->p >= ps->end)
			break;
		if (parse_statement(ps))
			return -1;
	}
	return finish(ps);
}

int hv_config_parse(const char *text, size_t len, const char *filename,
		    struct hv_config *cfg, char *err, size_t errlen)
{
	struct parser *ps = malloc(sizeof(*ps));
	int ret;

	if (!ps) {
		snprintf(err, errlen, "%s: out of memory", filename);
		return -1;
	}
	parser_init(ps, text, len, filename, cfg, err, errlen);
	ret = parse(ps);
	free(ps);
	return ret;
}

static int check_file(const struct parser *ps, const char *key, const char *path)
{
	const char *why = NULL;
	struct stat st;

	if (stat(path, &st))
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (access(path, R_OK))
		why = strerror(errno);
	if (!why)
		return 0;
	snprintf(ps->err, ps->errlen, "%s:%d: key '%s': %s: %s", ps->filename,
		 key_line(ps, key), key, path, why);
	return -1;
}

int hv_config_load(const char *path, struct hv_config *cfg, char *err, size_t errlen)
{
	struct parser *ps = NULL;
	char *text = NULL;
	size_t len = 0;
	int ret = -1;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	text = malloc(FILE_MAX);
	ps = malloc(sizeof(*ps));
	if (!text || !ps) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	len = fread(text, 1, FILE_MAX, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
		goto out;
	}
	if (len == FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d KiB", path, FILE_MAX >> 10);
		goto out;
	}
	parser_init(ps, text, len, path, cfg, err, errlen);
	ret = parse(ps);
	if (!ret)
		ret = check_file(ps, "kernel", cfg->kernel);
	if (!ret && cfg->ramdisk[0])
		ret = check_file(ps, "ramdisk", cfg->ramdisk);
out:
	fclose(f);
	free(ps);
	free(text);
	return ret;
}

const char *hv_action_name(enum hv_action action)
{
	switch (action) {
	case HV_ACTION_DESTROY:
		return "destroy";
	case HV_ACTION_RESTART:
		return "restart";
	case HV_ACTION_PRESERVE:
		return "preserve";
	}
	return "?";
}
