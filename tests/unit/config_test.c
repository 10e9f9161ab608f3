// SPDX-License-Identifier: GPL-2.0-only
/* config_test.c: the xl.cfg-syntax parser: values, defaults, every error. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/config.h"
#include "unit.h"

#define FILE_NAME "/etc/hv/t.cfg"
#define HEAD "name='g'\nkernel='/k'\n"	/* the two required keys, lines 1-2 */

static struct hv_config cfg;
static char err[HV_CONFIG_ERR_MAX];

static int parse(const char *text)
{
	err[0] = '\0';
	return hv_config_parse(text, strlen(text), FILE_NAME, &cfg, err, sizeof(err));
}

/* TEXT is refused with exactly the error WANT. */
static int refused(const char *text, const char *want)
{
	if (parse(text) == 0) {
		printf("  accepted: %s\n", text);
		return 0;
	}
	if (strcmp(err, want)) {
		printf("  error '%s'\n     not '%s'\n", err, want);
		return 0;
	}
	return 1;
}

/* TEXT is accepted; says why not otherwise. */
static int accepted(const char *text)
{
	if (parse(text)) {
		printf("  refused: %s\n", err);
		return 0;
	}
	return 1;
}

static void test_minimal_defaults(void)
{
	EXPECT(accepted("name = \"g\"\nkernel = \"/boot/vmlinuz\"\n"));
	EXPECT(!strcmp(cfg.name, "g"));
	EXPECT(!strcmp(cfg.kernel, "/boot/vmlinuz"));
	EXPECT(cfg.memory_mib == 128 && cfg.maxmem_mib == 128);
	EXPECT(cfg.vcpus == 1);
	EXPECT(cfg.ramdisk[0] == '\0' && cfg.cmdline[0] == '\0');
	EXPECT(cfg.on_poweroff == HV_ACTION_DESTROY);
	EXPECT(cfg.on_reboot == HV_ACTION_RESTART);
	EXPECT(cfg.on_crash == HV_ACTION_DESTROY);
	/* No newline at the end of the file. */
	EXPECT(accepted("name='g'\nkernel='/k'"));
	/* maxmem follows memory when not given. */
	EXPECT(accepted(HEAD "memory = 300\n"));
	EXPECT(cfg.memory_mib == 300 && cfg.maxmem_mib == 300);
}

static void test_all_keys(void)
{
	EXPECT(accepted("# a guest\n"
			"name='web-1.a_b'\n"
			"memory = 512   # MiB\n"
			"maxmem = 1024;\n"
			"vcpus = 4\n"
			"kernel = \"vmlinuz\"\n"
			"ramdisk = '/boot/initrd.img'\n"
			"root = \"/dev/xvda1 ro\"\n"
			"extra = 'console=ttyS0 # not a comment'\n"
			"on_poweroff = 'preserve'\n"
			"on_reboot = \"destroy\"\n"
			"on_crash = 'restart'\n"));
	EXPECT(!strcmp(cfg.name, "web-1.a_b"));
	EXPECT(cfg.memory_mib == 512 && cfg.maxmem_mib == 1024 && cfg.vcpus == 4);
	EXPECT(!strcmp(cfg.kernel, "/etc/hv/vmlinuz"));
	EXPECT(!strcmp(cfg.ramdisk, "/boot/initrd.img"));
	EXPECT(!strcmp(cfg.cmdline, "root=/dev/xvda1 ro console=ttyS0 # not a comment"));
	EXPECT(cfg.on_poweroff == HV_ACTION_PRESERVE);
	EXPECT(cfg.on_reboot == HV_ACTION_DESTROY);
	EXPECT(cfg.on_crash == HV_ACTION_RESTART);
}

static void test_numbers(void)
{
	EXPECT(accepted(HEAD "memory = 0x100\n"));		/* hexadecimal */
	EXPECT(cfg.memory_mib == 256);
	EXPECT(accepted(HEAD "memory = 040\n"));		/* octal, as xl */
	EXPECT(cfg.memory_mib == 32);
	EXPECT(accepted(HEAD "vcpus = +2\n"));
	EXPECT(cfg.vcpus == 2);
	EXPECT(accepted(HEAD "memory = 32\nmaxmem = 32\nvcpus = 64\n"));
	EXPECT(cfg.memory_mib == 32 && cfg.maxmem_mib == 32 && cfg.vcpus == 64);
	EXPECT(accepted(HEAD "memory = 1073741824\n"));
	EXPECT(refused(HEAD "memory = 1073741825\n",
		       FILE_NAME ":3: key 'memory': 1073741825 is out of range (32..1073741824)"));
	EXPECT(refused(HEAD "memory = 99999999999999999999\n",
		       FILE_NAME ":3: key 'memory': number out of range"));
	EXPECT(refused(HEAD "maxmem = 123456789012345678901234567890123456789\n",
		       FILE_NAME ":3: key 'maxmem': number out of range"));
	EXPECT(refused(HEAD "memory = -9223372036854775809\n",
		       FILE_NAME ":3: key 'memory': number out of range"));
	EXPECT(refused(HEAD "memory = -5\n",
		       FILE_NAME ":3: key 'memory': -5 is out of range (32..1073741824)"));
	EXPECT(refused(HEAD "memory = 31\n",
		       FILE_NAME ":3: key 'memory': 31 is out of range (32..1073741824)"));
	EXPECT(refused(HEAD "maxmem = 8\n",
		       FILE_NAME ":3: key 'maxmem': 8 is out of range (32..1073741824)"));
	EXPECT(refused(HEAD "vcpus = 0\n", FILE_NAME ":3: key 'vcpus': 0 is out of range (1..64)"));
	EXPECT(refused(HEAD "vcpus = 65\n", FILE_NAME ":3: key 'vcpus': 65 is out of range (1..64)"));
	EXPECT(refused(HEAD "vcpus = -1\n", FILE_NAME ":3: key 'vcpus': -1 is out of range (1..64)"));
	EXPECT(refused(HEAD "memory = 12abc\n",
		       FILE_NAME ":3: key 'memory': '12abc' is not a whole number"));
	EXPECT(refused(HEAD "memory = 512.5\n",
		       FILE_NAME ":3: key 'memory': '512.5' is not a whole number"));
	EXPECT(refused(HEAD "memory = 09\n", FILE_NAME ":3: key 'memory': '09' is not a whole number"));
	EXPECT(refused(HEAD "memory = -\n", FILE_NAME ":3: key 'memory': '-' is not a whole number"));
	EXPECT(refused(HEAD "memory = 256\nmaxmem = 128\n",
		       FILE_NAME ":4: key 'maxmem': 128 MiB is below memory (256 MiB)"));
	/* The order of memory and maxmem does not matter. */
	EXPECT(refused(HEAD "maxmem = 128\n\nmemory = 256\n",
		       FILE_NAME ":3: key 'maxmem': 128 MiB is below memory (256 MiB)"));
}

static void test_strings_and_quotes(void)
{
	EXPECT(accepted("name=\"g\"\nkernel='/k'\nextra = \"it's \\\"here\\\" \\\\ \\t\"\n"));
	EXPECT(!strcmp(cfg.cmdline, "it's \"here\" \\ \t"));
	EXPECT(accepted(HEAD "extra = 'say \"hi\" \\'twice\\''\n"));
	EXPECT(!strcmp(cfg.cmdline, "say \"hi\" 'twice'"));
	EXPECT(accepted(HEAD "extra = ''\n"));
	EXPECT(cfg.cmdline[0] == '\0');
	EXPECT(refused(HEAD "extra = 'a\\qb'\n",
		       FILE_NAME ":3: key 'extra': unknown escape '\\q' in a string "
		       "(write \\\\ for a backslash)"));
	EXPECT(refused("name='g'\nkernel='/k\n",
		       FILE_NAME ":2: key 'kernel': unterminated string"));
	EXPECT(refused("name='g'\nkernel=\"/k'\n",
		       FILE_NAME ":2: key 'kernel': unterminated string"));
	EXPECT(refused(HEAD "extra = 'a\\\n'\n", FILE_NAME ":3: key 'extra': unterminated string"));
	EXPECT(refused(HEAD "extra = 'abc", FILE_NAME ":3: key 'extra': unterminated string"));
}

static void test_comments_blank_lines_semicolons(void)
{
	EXPECT(accepted("\n\n  # it's a comment with 'quotes' and [brackets\n"
			"\tname = 'g' ; kernel = '/k';\r\n\n vcpus=2;;\n;\n# end"));
	EXPECT(cfg.vcpus == 2);
	EXPECT(accepted("name='g'#c\nkernel='/k'#c\nextra='#not a comment'#but this is\n"));
	EXPECT(!strcmp(cfg.cmdline, "#not a comment"));
	EXPECT(refused("name='#not'\nkernel='/k'\n",
		       FILE_NAME ":1: key 'name': '#' is not allowed (letters, digits, '_', '.', '-')"));
	EXPECT(accepted("name='n'#c\nkernel='/k'#c\nmemory=64#c\n"));
	EXPECT(cfg.memory_mib == 64);
}

static void test_lists(void)
{
	/* No list key exists yet: a list parses, then its type is refused,
	 * on the line where the list ends. */
	EXPECT(refused(HEAD "extra = [ 'a',\n  \"b\", # c\n ]\n",
		       FILE_NAME ":5: key 'extra': expects a quoted string, not a [list] of quoted strings"));
	EXPECT(refused(HEAD "extra = [\n# only a comment\n\n]\n",
		       FILE_NAME ":6: key 'extra': expects a quoted string, not a [list] of quoted strings"));
	EXPECT(refused(HEAD "extra = ['a', 'b',]\n",
		       FILE_NAME ":3: key 'extra': expects a quoted string, not a [list] of quoted strings"));
	EXPECT(refused(HEAD "memory = []\n",
		       FILE_NAME ":3: key 'memory': expects a number, not a [list] of quoted strings"));
	EXPECT(refused(HEAD "extra = [ 'a',\n 'b'\n", FILE_NAME ":3: key 'extra': unterminated list "
		       "(no ']' before the end of the file)"));
	EXPECT(refused(HEAD "extra = [ 'a'", FILE_NAME ":3: key 'extra': unterminated list "
		       "(no ']' before the end of the file)"));
	EXPECT(refused(HEAD "extra = [ 1 ]\n", FILE_NAME ":3: key 'extra': list items must be quoted strings"));
	EXPECT(refused(HEAD "extra = [ ['a'] ]\n", FILE_NAME ":3: key 'extra': list items must be quoted strings"));
	EXPECT(refused(HEAD "extra = [ , ]\n", FILE_NAME ":3: key 'extra': list items must be quoted strings"));
	EXPECT(refused(HEAD "extra = [ 'a' 'b' ]\n",
		       FILE_NAME ":3: key 'extra': expected ',' or ']' in the list"));
	EXPECT(refused(HEAD "extra = [ 'a',\n 'b\n]\n", FILE_NAME ":4: key 'extra': unterminated string"));
	EXPECT(refused(HEAD "extra = [ 'a' ] x\n", FILE_NAME ":3: key 'extra': unexpected text after the value"));
}

static void test_many_list_items(void)
{
	size_t cap = 300 * 6 + 64, n;
	char *text = malloc(cap);
	int i;

	n = (size_t)snprintf(text, cap, HEAD "extra = [");
	for (i = 0; i < 256; i++)
		n += (size_t)snprintf(text + n, cap - n, "'%d',", i % 10);
	snprintf(text + n, cap - n, "]\n");
	EXPECT(refused(text, FILE_NAME ":3: key 'extra': expects a quoted string, not a [list] of quoted strings"));
	snprintf(text + n, cap - n, "'x','y']\n");
	EXPECT(refused(text, FILE_NAME ":3: key 'extra': more than 256 list items"));
	free(text);
}

static void test_type_errors(void)
{
	static const char *const strings[] = {
		"name", "kernel", "ramdisk", "root", "extra", "cmdline",
		"on_poweroff", "on_reboot", "on_crash",
	};
	static const char *const numbers[] = { "memory", "maxmem", "vcpus" };
	char text[256], want[256];
	size_t i;

	for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		snprintf(text, sizeof(text), "%s = 1\n", strings[i]);
		snprintf(want, sizeof(want),
			 FILE_NAME ":1: key '%s': expects a quoted string, not a number", strings[i]);
		EXPECT(refused(text, want));
	}
	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		snprintf(text, sizeof(text), HEAD "%s = '64'\n", numbers[i]);
		snprintf(want, sizeof(want),
			 FILE_NAME ":3: key '%s': expects a number, not a quoted string", numbers[i]);
		EXPECT(refused(text, want));
	}
	EXPECT(refused(HEAD "memory = lots\n",
		       FILE_NAME ":3: key 'memory': a value is a number, a quoted string or a [list]"));
}

static void test_malformed_lines(void)
{
	EXPECT(refused(HEAD "colour = 3\n", FILE_NAME ":3: key 'colour': unknown key"));
	EXPECT(refused(HEAD "Name = 'x'\n", FILE_NAME ":3: key 'Name': unknown key"));
	EXPECT(refused(HEAD "name2\n", FILE_NAME ":3: key 'name2': unknown key"));
	EXPECT(refused("name='g'\nname='h'\nkernel='/k'\n",
		       FILE_NAME ":2: key 'name': given twice (first on line 1)"));
	EXPECT(refused(HEAD "vcpus=1; vcpus=2\n", FILE_NAME ":3: key 'vcpus': given twice (first on line 3)"));
	EXPECT(refused(HEAD "vcpus 2\n", FILE_NAME ":3: key 'vcpus': expected '=' after the key"));
	EXPECT(refused(HEAD "vcpus == 2\n",
		       FILE_NAME ":3: key 'vcpus': a value is a number, a quoted string or a [list]"));
	EXPECT(refused(HEAD "vcpus", FILE_NAME ":3: key 'vcpus': expected '=' after the key"));
	EXPECT(refused(HEAD "= 2\n", FILE_NAME ":3: expected 'key = value'"));
	EXPECT(refused(HEAD "'name' = 'x'\n", FILE_NAME ":3: expected 'key = value'"));
	EXPECT(refused(HEAD "vcpus =\n", FILE_NAME ":3: key 'vcpus': missing value"));
	EXPECT(refused(HEAD "vcpus = # two\n", FILE_NAME ":3: key 'vcpus': missing value"));
	EXPECT(refused(HEAD "vcpus = ;\n", FILE_NAME ":3: key 'vcpus': missing value"));
	EXPECT(refused("name='g'\nkernel='/k' junk\n",
		       FILE_NAME ":2: key 'kernel': unexpected text after the value"));
	EXPECT(refused(HEAD "vcpus = 2,\n", FILE_NAME ":3: key 'vcpus': unexpected text after the value"));
	EXPECT(refused(HEAD "memory = 1 2\n", FILE_NAME ":3: key 'memory': unexpected text after the value"));
	EXPECT(refused(HEAD "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = 1\n",
		       FILE_NAME ":3: key longer than 63 characters"));
	EXPECT(refused("kernel='/k'\n", FILE_NAME ":1: key 'name' is required"));
	EXPECT(refused("kernel='/k'\n\n# end\n", FILE_NAME ":3: key 'name' is required"));
	EXPECT(refused("name='g'", FILE_NAME ":1: key 'kernel' is required"));
	EXPECT(refused("", FILE_NAME ":1: key 'name' is required"));
}

static void test_name(void)
{
	char text[128];

	EXPECT(accepted("name='A-z_0.9'\nkernel='/k'\n"));
	snprintf(text, sizeof(text), "name='%.63s'\nkernel='/k'\n",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	EXPECT(accepted(text));
	EXPECT(strlen(cfg.name) == 63);
	snprintf(text, sizeof(text), "name='%.64s'\nkernel='/k'\n",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	EXPECT(refused(text, FILE_NAME ":1: key 'name': longer than 63 characters"));
	EXPECT(refused("name='a b'\nkernel='/k'\n",
		       FILE_NAME ":1: key 'name': ' ' is not allowed (letters, digits, '_', '.', '-')"));
	EXPECT(refused("name='a/b'\nkernel='/k'\n",
		       FILE_NAME ":1: key 'name': '/' is not allowed (letters, digits, '_', '.', '-')"));
	EXPECT(refused("name='caf\xe9'\nkernel='/k'\n",
		       FILE_NAME ":1: key 'name': '\xe9' is not allowed (letters, digits, '_', '.', '-')"));
	EXPECT(refused("name=''\nkernel='/k'\n", FILE_NAME ":1: key 'name': empty name"));
}

static void test_paths(void)
{
	EXPECT(accepted("name='g'\nkernel='../boot/k'\nramdisk='initrd'\n"));
	EXPECT(!strcmp(cfg.kernel, "/etc/hv/../boot/k"));
	EXPECT(!strcmp(cfg.ramdisk, "/etc/hv/initrd"));
	err[0] = '\0';
	EXPECT(hv_config_parse("name='g'\nkernel='k'\n", 20, "/t.cfg", &cfg, err, sizeof(err)) == 0);
	EXPECT(!strcmp(cfg.kernel, "/k"));
	EXPECT(hv_config_parse("name='g'\nkernel='k'\n", 20, "t.cfg", &cfg, err, sizeof(err)) == 0);
	EXPECT(!strcmp(cfg.kernel, "k"));
	EXPECT(hv_config_parse("name='g'\nkernel='k'\n", 20, "a/t.cfg", &cfg, err, sizeof(err)) == 0);
	EXPECT(!strcmp(cfg.kernel, "a/k"));
	EXPECT(refused("name='g'\nkernel=''\n", FILE_NAME ":2: key 'kernel': empty path"));
	EXPECT(refused(HEAD "ramdisk=\"\"\n", FILE_NAME ":3: key 'ramdisk': empty path"));
}

static void test_long_path(void)
{
	size_t cap = HV_CONFIG_PATH_MAX + 64;
	char *text = malloc(cap);
	int n;

	n = snprintf(text, cap, "name='g'\nkernel='");
	memset(text + n, 'k', HV_CONFIG_PATH_MAX - 5);
	strcpy(text + n + HV_CONFIG_PATH_MAX - 5, "'\n");
	/* Fits alone, not once "/etc/hv/" is put in front. */
	EXPECT(refused(text, FILE_NAME ":2: key 'kernel': path longer than 4095 bytes"));
	free(text);
}

static void test_cmdline(void)
{
	char *text = malloc(8192);
	int n;

	EXPECT(accepted(HEAD "extra='a'\ncmdline='b c'\nroot='/dev/xvda'\n"));
	EXPECT(!strcmp(cfg.cmdline, "b c"));	/* cmdline replaces root and extra */
	EXPECT(accepted(HEAD "root='/dev/xvda'\n"));
	EXPECT(!strcmp(cfg.cmdline, "root=/dev/xvda"));
	EXPECT(accepted(HEAD "extra='console=ttyS0'\n"));
	EXPECT(!strcmp(cfg.cmdline, "console=ttyS0"));
	EXPECT(accepted(HEAD "extra='quiet'\nroot='/dev/xvda'\n"));
	EXPECT(!strcmp(cfg.cmdline, "root=/dev/xvda quiet"));

	/* 2047 bytes fit, 2048 do not. */
	n = snprintf(text, 8192, HEAD "cmdline='");
	memset(text + n, 'x', 2047);
	strcpy(text + n + 2047, "'\n");
	EXPECT(accepted(text));
	EXPECT(strlen(cfg.cmdline) == 2047);
	strcpy(text + n + 2047, "x'\n");
	EXPECT(refused(text, FILE_NAME ":3: key 'cmdline': longer than 2047 bytes"));
	memcpy(text + n - 9, "  extra='", 9);
	EXPECT(refused(text, FILE_NAME ":3: key 'extra': longer than 2047 bytes"));

	/* Each fits, together they do not: the later key is blamed. */
	n = snprintf(text, 8192, HEAD "extra='");
	memset(text + n, 'e', 1500);
	n += 1500;
	n += snprintf(text + n, 8192 - (size_t)n, "'\n\nroot='");
	memset(text + n, 'r', 1000);
	strcpy(text + n + 1000, "'\n");
	EXPECT(refused(text, FILE_NAME ":5: key 'root': the command line \"root=\" + root + extra "
		       "is longer than 2047 bytes"));
	/* root alone, with "root=" in front. */
	n = snprintf(text, 8192, HEAD "root='");
	memset(text + n, 'r', 2045);
	strcpy(text + n + 2045, "'\n");
	EXPECT(refused(text, FILE_NAME ":3: key 'root': the command line \"root=\" + root + extra "
		       "is longer than 2047 bytes"));
	free(text);
}

static void test_actions(void)
{
	EXPECT(accepted(HEAD "on_poweroff='restart'\non_reboot='preserve'\non_crash='destroy'\n"));
	EXPECT(cfg.on_poweroff == HV_ACTION_RESTART && cfg.on_reboot == HV_ACTION_PRESERVE &&
	       cfg.on_crash == HV_ACTION_DESTROY);
	EXPECT(refused(HEAD "on_crash='coredump-destroy'\n",
		       FILE_NAME ":3: key 'on_crash': 'coredump-destroy' is not supported: "
		       "use destroy, restart or preserve"));
	EXPECT(refused(HEAD "on_reboot='rename-restart'\n",
		       FILE_NAME ":3: key 'on_reboot': 'rename-restart' is not supported: "
		       "use destroy, restart or preserve"));
	EXPECT(refused(HEAD "on_poweroff='Destroy'\n",
		       FILE_NAME ":3: key 'on_poweroff': 'Destroy' is not supported: "
		       "use destroy, restart or preserve"));
	EXPECT(!strcmp(hv_action_name(HV_ACTION_DESTROY), "destroy"));
	EXPECT(!strcmp(hv_action_name(HV_ACTION_RESTART), "restart"));
	EXPECT(!strcmp(hv_action_name(HV_ACTION_PRESERVE), "preserve"));
}

static void test_nul_and_short_err(void)
{
	static const char with_nul[] = "name='g'\n\nkernel='/k\0'\n";
	char small[16];

	err[0] = '\0';
	EXPECT(hv_config_parse(with_nul, sizeof(with_nul) - 1, "t.cfg", &cfg, err,
			       sizeof(err)) == -1);
	EXPECT(!strcmp(err, "t.cfg:3: NUL byte in the file"));
	/* A short error buffer gets a truncated, terminated message. */
	EXPECT(hv_config_parse("x=1", 3, "t.cfg", &cfg, small, sizeof(small)) == -1);
	EXPECT(!strcmp(small, "t.cfg:1: key 'x"));
	/* Only LEN bytes are read: the text needs no NUL. */
	EXPECT(hv_config_parse("name='g'\nkernel='/k'\nvcpus=2", 21, "t.cfg", &cfg, err,
			       sizeof(err)) == 0);
	EXPECT(cfg.vcpus == 1);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_load(void)
{
	char dir[] = "/tmp/hvcfgXXXXXX", path[128], kernel[128], text[512], want[512];

	EXPECT(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/g.cfg", dir);
	snprintf(kernel, sizeof(kernel), "%s/vmlinuz", dir);

	/* Key lines are where the key is, also after a ';'. */
	snprintf(text, sizeof(text), "name = 'g'\n\nmemory = 64; kernel = 'vmlinuz'\nramdisk = '%s'\n", dir);
	write_file(path, text);
	EXPECT(hv_config_load(path, &cfg, err, sizeof(err)) == -1);
	snprintf(want, sizeof(want), "%s:3: key 'kernel': %s: No such file or directory", path, kernel);
	EXPECT(!strcmp(err, want));

	write_file(kernel, "");
	EXPECT(hv_config_load(path, &cfg, err, sizeof(err)) == -1);
	snprintf(want, sizeof(want), "%s:4: key 'ramdisk': %s: not a regular file", path, dir);
	EXPECT(!strcmp(err, want));

	write_file(path, "name = 'g'\nkernel = 'vmlinuz'\n");
	EXPECT(hv_config_load(path, &cfg, err, sizeof(err)) == 0);
	EXPECT(!strcmp(cfg.kernel, kernel));

	if (geteuid() != 0) {	/* root reads anything */
		chmod(kernel, 0);
		EXPECT(hv_config_load(path, &cfg, err, sizeof(err)) == -1);
		snprintf(want, sizeof(want), "%s:2: key 'kernel': %s: Permission denied", path, kernel);
		EXPECT(!strcmp(err, want));
	}

	write_file(path, "name = 'g'\nvcpus = 99\n");
	EXPECT(hv_config_load(path, &cfg, err, sizeof(err)) == -1);
	snprintf(want, sizeof(want), "%s:2: key 'vcpus': 99 is out of range (1..64)", path);
	EXPECT(!strcmp(err, want));

	EXPECT(hv_config_load("/nonexistent/x.cfg", &cfg, err, sizeof(err)) == -1);
	EXPECT(!strcmp(err, "/nonexistent/x.cfg: No such file or directory"));
	EXPECT(hv_config_load(dir, &cfg, err, sizeof(err)) == -1);
	snprintf(want, sizeof(want), "%s: Is a directory", dir);
	EXPECT(!strcmp(err, want));

	unlink(kernel);
	unlink(path);
	rmdir(dir);
}

static void test_sample_files(void)
{
	static const struct {
		const char *file;
		const char *want;	/* NULL: accepted */
	} samples[] = {
		{ "tests/unit/configs/good-full.cfg", NULL },
		{ "tests/unit/configs/good-minimal.cfg", NULL },
		{ "tests/unit/configs/bad-unknown-key.cfg",
		  "tests/unit/configs/bad-unknown-key.cfg:7: key 'cpus': unknown key" },
		{ "tests/unit/configs/bad-list.cfg",
		  "tests/unit/configs/bad-list.cfg:5: key 'extra': unterminated list "
		  "(no ']' before the end of the file)" },
	};
	size_t i;

	if (access("tests/unit/configs", F_OK)) {
		printf("  skipped: run from the top of the repository\n");
		return;
	}
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		int r = hv_config_load(samples[i].file, &cfg, err, sizeof(err));

		if (samples[i].want ? r == 0 || strcmp(err, samples[i].want) : r != 0) {
			printf("  %s: %s\n", samples[i].file, r ? err : "accepted");
			EXPECT(0);
		}
	}
	EXPECT(hv_config_load("tests/unit/configs/good-full.cfg", &cfg, err, sizeof(err)) == 0);
	EXPECT(!strcmp(cfg.name, "sample-full") && cfg.vcpus == 2);
	EXPECT(cfg.memory_mib == 256 && cfg.maxmem_mib == 512);
	EXPECT(!strcmp(cfg.kernel, "tests/unit/configs/dummy-kernel"));
	EXPECT(!strcmp(cfg.ramdisk, "tests/unit/configs/dummy-initrd"));
	EXPECT(!strcmp(cfg.cmdline, "root=/dev/xvda1 ro console=ttyS0 quiet"));
	EXPECT(cfg.on_crash == HV_ACTION_PRESERVE);
}

int main(void)
{
	RUN(test_minimal_defaults);
	RUN(test_all_keys);
	RUN(test_numbers);
	RUN(test_strings_and_quotes);
	RUN(test_comments_blank_lines_semicolons);
	RUN(test_lists);
	RUN(test_many_list_items);
	RUN(test_type_errors);
	RUN(test_malformed_lines);
	RUN(test_name);
	RUN(test_paths);
	RUN(test_long_path);
	RUN(test_cmdline);
	RUN(test_actions);
	RUN(test_nul_and_short_err);
	RUN(test_load);
	RUN(test_sample_files);
	return UNIT_EXIT();
}
