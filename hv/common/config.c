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

#define LIST_MAX 64

enum value_type { V_INT, V_STRING, V_LIST };

struct value {
	enum value_type type;
	long long num;
	char *str;			/* V_STRING: owned, NUL-terminated */
	char *items[LIST_MAX];		/* V_LIST: owned strings */
	int nr_items;
};

struct parser {
	const char *p, *end;
	const char *filename;
	int line;
	char key[64];
	char *err;
	size_t errlen;
	struct hv_config *cfg;
	const char *dir;		/* directory of the file, for paths */
	unsigned int seen;		/* bit per key in the table */
	int key_line[32];
	char root[HV_CONFIG_CMDLINE_MAX], extra[HV_CONFIG_CMDLINE_MAX];
	int has_cmdline;
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
	memset(v, 0, sizeof(*v));
}

/* Skip blanks and comments; newlines too when in a list. */
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

static int parse_string(struct parser *ps, char **out)
{
	char quote = *ps->p++;
	const char *start = ps->p;
	size_t len;

	while (ps->p < ps->end && *ps->p != quote && *ps->p != '\n')
		ps->p++;
	if (ps->p >= ps->end || *ps->p != quote)
		return fail(ps, "unterminated string");
	len = (size_t)(ps->p - start);
	ps->p++;
	*out = strndup(start, len);
	if (!*out)
		return fail(ps, "out of memory");
	return 0;
}

static int parse_int(struct parser *ps, long long *out)
{
	const char *start = ps->p;
	char buf[32];
	size_t len;
	char *endp;

	if (*ps->p == '-' || *ps->p == '+')
		ps->p++;
	while (ps->p < ps->end && isalnum((unsigned char)*ps->p))
		ps->p++;
	len = (size_t)(ps->p - start);
	if (len >= sizeof(buf))
		return fail(ps, "number out of range");
	memcpy(buf, start, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtoll(buf, &endp, 0);
	if (*endp || endp == buf)
		return fail(ps, "'%s' is not a number", buf);
	if (errno == ERANGE)
		return fail(ps, "number out of range");
	return 0;
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
	if (c == '[') {
		v->type = V_LIST;
		ps->p++;
		for (;;) {
			skip_space(ps, 1);
			if (ps->p >= ps->end)
				return fail(ps, "unterminated list");
			if (*ps->p == ']') {
				ps->p++;
				return 0;
			}
			if (*ps->p != '"' && *ps->p != '\'')
				return fail(ps, "list items must be quoted strings");
			if (v->nr_items == LIST_MAX)
				return fail(ps, "more than %d list items", LIST_MAX);
			if (parse_string(ps, &v->items[v->nr_items]))
				return -1;
			v->nr_items++;
			skip_space(ps, 1);
			if (ps->p < ps->end && *ps->p == ',')
				ps->p++;
			else if (ps->p < ps->end && *ps->p != ']')
				return fail(ps, "expected ',' or ']' in list");
		}
	}
	if (isdigit((unsigned char)c) || c == '-' || c == '+') {
		v->type = V_INT;
		return parse_int(ps, &v->num);
	}
	return fail(ps, "a value is a number, a quoted string or a [list]");
}

/* Key handlers: check the value, store it. */

static int want(struct parser *ps, const struct value *v, enum value_type t)
{
	static const char *const names[] = { "a number", "a quoted string", "a [list]" };

	if (v->type != t)
		return fail(ps, "expects %s", names[t]);
	return 0;
}

static int int_range(struct parser *ps, const struct value *v, long long lo,
		     long long hi, long long *out)
{
	if (want(ps, v, V_INT))
		return -1;
	if (v->num < lo || v->num > hi)
		return fail(ps, "%lld is out of range (%lld..%lld)", v->num, lo, hi);
	*out = v->num;
	return 0;
}

static int set_name(struct parser *ps, const struct value *v)
{
	const char *s;

	if (want(ps, v, V_STRING))
		return -1;
	if (!v->str[0])
		return fail(ps, "empty name");
	if (strlen(v->str) >= HV_CONFIG_NAME_MAX)
		return fail(ps, "longer than %d characters", HV_CONFIG_NAME_MAX - 1);
	for (s = v->str; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return fail(ps, "'%c' is not allowed (letters, digits, '_', '.', '-')", *s);
	strcpy(ps->cfg->name, v->str);
	return 0;
}

static int set_memory(struct parser *ps, const struct value *v)
{
	long long n = 0;

	if (int_range(ps, v, HV_CONFIG_MEMORY_MIN_MIB, 1LL << 30, &n))
		return -1;
	ps->cfg->memory_mib = (uint64_t)n;
	return 0;
}

static int set_maxmem(struct parser *ps, const struct value *v)
{
	long long n = 0;

	if (int_range(ps, v, HV_CONFIG_MEMORY_MIN_MIB, 1LL << 30, &n))
		return -1;
	ps->cfg->maxmem_mib = (uint64_t)n;
	return 0;
}

static int set_vcpus(struct parser *ps, const struct value *v)
{
	long long n = 0;

	if (int_range(ps, v, 1, HV_CONFIG_VCPUS_MAX, &n))
		return -1;
	ps->cfg->vcpus = (unsigned int)n;
	return 0;
}

static int set_path(struct parser *ps, const struct value *v, char *dst)
{
	int n;

	if (want(ps, v, V_STRING))
		return -1;
	if (!v->str[0])
		return fail(ps, "empty path");
	if (v->str[0] == '/')
		n = snprintf(dst, HV_CONFIG_PATH_MAX, "%s", v->str);
	else
		n = snprintf(dst, HV_CONFIG_PATH_MAX, "%s/%s", ps->dir, v->str);
	if (n >= HV_CONFIG_PATH_MAX)
		return fail(ps, "path too long");
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
	if (want(ps, v, V_STRING))
		return -1;
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
	ps->has_cmdline = 1;
	return set_text(ps, v, ps->cfg->cmdline);
}

static int set_action(struct parser *ps, const struct value *v, enum hv_action *dst)
{
	static const enum hv_action all[] = {
		HV_ACTION_DESTROY, HV_ACTION_RESTART, HV_ACTION_PRESERVE
	};
	size_t i;

	if (want(ps, v, V_STRING))
		return -1;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!strcmp(v->str, hv_action_name(all[i]))) {
			*dst = all[i];
			return 0;
		}
	}
	return fail(ps, "'%s' is not one of destroy, restart, preserve", v->str);
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

/* The keys. Later keys (disk, vif, pci) take lists: add a row each. */
static const struct config_key {
	const char *name;
	int (*set)(struct parser *ps, const struct value *v);
} keys[] = {
	{ "name", set_name },
	{ "memory", set_memory },
	{ "maxmem", set_maxmem },
	{ "vcpus", set_vcpus },
	{ "kernel", set_kernel },
	{ "ramdisk", set_ramdisk },
	{ "root", set_root },
	{ "extra", set_extra },
	{ "cmdline", set_cmdline },
	{ "on_poweroff", set_on_poweroff },
	{ "on_reboot", set_on_reboot },
	{ "on_crash", set_on_crash },
};

#define NR_KEYS (int)(sizeof(keys) / sizeof(keys[0]))

static int key_index(const char *name)
{
	int i;

	for (i = 0; i < NR_KEYS; i++)
		if (!strcmp(keys[i].name, name))
			return i;
	return -1;
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
		return fail(ps, "key too long");
	memcpy(ps->key, start, len);
	ps->key[len] = '\0';
	k = key_index(ps->key);
	if (k < 0)
		return fail(ps, "unknown key");
	if (ps->seen & (1u << k))
		return fail(ps, "given twice (first on line %d)", ps->key_line[k]);
	skip_space(ps, 0);
	if (ps->p >= ps->end || *ps->p != '=')
		return fail(ps, "expected '=' after the key");
	ps->p++;
	skip_space(ps, 0);
	err = parse_value(ps, &v);
	if (!err)
		err = keys[k].set(ps, &v);
	value_free(&v);
	if (err)
		return -1;
	ps->seen |= 1u << k;
	ps->key_line[k] = ps->line;
	skip_space(ps, 0);
	if (ps->p < ps->end && *ps->p == ';')
		return 0;	/* the main loop takes what follows */
	if (ps->p < ps->end && *ps->p != '\n')
		return fail(ps, "unexpected text after the value");
	return 0;
}

static int finish(struct parser *ps)
{
	struct hv_config *cfg = ps->cfg;
	int k, n;

	ps->key[0] = '\0';
	if (!(ps->seen & (1u << key_index("name"))))
		return fail(ps, "key 'name' is required");
	if (!(ps->seen & (1u << key_index("kernel"))))
		return fail(ps, "key 'kernel' is required");
	k = key_index("maxmem");
	if (!(ps->seen & (1u << k))) {
		cfg->maxmem_mib = cfg->memory_mib;
	} else if (cfg->maxmem_mib < cfg->memory_mib) {
		ps->line = ps->key_line[k];
		strcpy(ps->key, "maxmem");
		return fail(ps, "%llu MiB is below memory (%llu MiB)",
			    (unsigned long long)cfg->maxmem_mib,
			    (unsigned long long)cfg->memory_mib);
	}
	/* As xl: root= first, then extra; cmdline replaces extra. */
	if (!ps->has_cmdline) {
		n = snprintf(cfg->cmdline, sizeof(cfg->cmdline), "%s%s%s%s",
			     ps->root[0] ? "root=" : "", ps->root,
			     ps->root[0] && ps->extra[0] ? " " : "", ps->extra);
		if (n >= (int)sizeof(cfg->cmdline)) {
			ps->line = ps->key_line[key_index("extra")];
			strcpy(ps->key, "extra");
			return fail(ps, "command line longer than %d bytes",
				    HV_CONFIG_CMDLINE_MAX - 1);
		}
	}
	return 0;
}

int hv_config_parse(const char *text, size_t len, const char *filename,
		    struct hv_config *cfg, char *err, size_t errlen)
{
	struct parser ps = {
		.p = text, .end = text + len, .filename = filename, .line = 1,
		.err = err, .errlen = errlen, .cfg = cfg,
	};
	char dir[HV_CONFIG_PATH_MAX];
	const char *slash = strrchr(filename, '/');

	if (slash && (size_t)(slash - filename) < sizeof(dir)) {
		memcpy(dir, filename, (size_t)(slash - filename));
		dir[slash - filename] = '\0';
		if (!dir[0])
			strcpy(dir, "/");
	} else {
		strcpy(dir, ".");
	}
	ps.dir = dir;
	memset(cfg, 0, sizeof(*cfg));
	cfg->memory_mib = 128;
	cfg->vcpus = 1;
	cfg->on_poweroff = HV_ACTION_DESTROY;
	cfg->on_reboot = HV_ACTION_RESTART;
	cfg->on_crash = HV_ACTION_DESTROY;

	if (memchr(text, '\0', len)) {
		ps.line = 1;
		for (const char *q = text; *q; q++)
			ps.line += *q == '\n';
		return fail(&ps, "NUL byte in the file");
	}
	for (;;) {
		ps.key[0] = '\0';
		skip_space(&ps, 0);
		while (ps.p < ps.end && (*ps.p == '\n' || *ps.p == ';')) {
			ps.line += *ps.p == '\n';
			ps.p++;
			skip_space(&ps, 0);
		}
		if (ps.p >= ps.end)
			break;
		if (parse_statement(&ps))
			return -1;
	}
	return finish(&ps);
}

static int check_file(const char *path, const char *cfgpath, int line,
		      const char *key, char *err, size_t errlen)
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
	snprintf(err, errlen, "%s:%d: key '%s': %s: %s", cfgpath, line, key, path, why);
	return -1;
}

/* The line where KEY is set, for error messages about its file. */
static int line_of(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;
	int line = 1;

	while (*p) {
		const char *s = p;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!strncmp(s, key, klen) && (s[klen] == ' ' || s[klen] == '=' ||
					       s[klen] == '\t'))
			return line;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
		line++;
	}
	return line;
}

int hv_config_load(const char *path, struct hv_config *cfg, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text;
	size_t len;
	int ret;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	text = malloc(1 << 20);
	if (!text) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	len = fread(text, 1, (1 << 20) - 1, f);
	if (ferror(f) || !feof(f)) {
		snprintf(err, errlen, "%s: %s", path,
			 ferror(f) ? "read error" : "larger than 1 MiB");
		fclose(f);
		free(text);
		return -1;
	}
	fclose(f);
	text[len] = '\0';
	ret = hv_config_parse(text, len, path, cfg, err, errlen);
	if (!ret)
		ret = check_file(cfg->kernel, path, line_of(text, "kernel"),
				 "kernel", err, errlen);
	if (!ret && cfg->ramdisk[0])
		ret = check_file(cfg->ramdisk, path, line_of(text, "ramdisk"),
				 "ramdisk", err, errlen);
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
