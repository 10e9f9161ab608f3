// SPDX-License-Identifier: GPL-2.0-only
/* config_test.c: the xl.cfg-syntax parser: values, defaults, every error. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "unit.h"

static struct hv_config cfg;
static char err[HV_CONFIG_ERR_MAX];

static int parse(const char *text)
{
	err[0] = '\0';
	return hv_config_parse(text, strlen(text), "/etc/hv/t.cfg", &cfg, err, sizeof(err));
}

/* The text is refused and the error starts with PREFIX. */
static int refused(const char *text, const char *prefix)
{
	if (parse(text) == 0) {
		printf("  accepted: %s\n", text);
		return 0;
	}
	if (strncmp(err, prefix, strlen(prefix))) {
		printf("  error '%s' does not start with '%s'\n", err, prefix);
		return 0;
	}
	return 1;
}

static void test_minimal_defaults(void)
{
	EXPECT(parse("name = \"g\"\nkernel = \"/boot/vmlinuz\"\n") == 0);
	EXPECT(!strcmp(cfg.name, "g"));
	EXPECT(!strcmp(cfg.kernel, "/boot/vmlinuz"));
	EXPECT(cfg.memory_mib == 128 && cfg.maxmem_mib == 128);
	EXPECT(cfg.vcpus == 1);
	EXPECT(cfg.ramdisk[0] == '\0' && cfg.cmdline[0] == '\0');
	EXPECT(cfg.on_poweroff == HV_ACTION_DESTROY);
	EXPECT(cfg.on_reboot == HV_ACTION_RESTART);
	EXPECT(cfg.on_crash == HV_ACTION_DESTROY);
}

static void test_all_keys(void)
{
	EXPECT(parse("# a guest\n"
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
		     "on_crash = 'restart'\n") == 0);
	EXPECT(!strcmp(cfg.name, "web-1.a_b"));
	EXPECT(cfg.memory_mib == 512 && cfg.maxmem_mib == 1024 && cfg.vcpus == 4);
	EXPECT(!strcmp(cfg.kernel, "/etc/hv/vmlinuz"));
	EXPECT(!strcmp(cfg.ramdisk, "/boot/initrd.img"));
	EXPECT(!strcmp(cfg.cmdline, "root=/dev/xvda1 ro console=ttyS0 # not a comment"));
	EXPECT(cfg.on_poweroff == HV_ACTION_PRESERVE);
	EXPECT(cfg.on_reboot == HV_ACTION_DESTROY);
	EXPECT(cfg.on_crash == HV_ACTION_RESTART);
}

static void test_cmdline_replaces_extra(void)
{
	EXPECT(parse("name='g'\nkernel='/k'\nextra='a'\ncmdline='b c'\n") == 0);
	EXPECT(!strcmp(cfg.cmdline, "b c"));
	EXPECT(parse("name='g'\nkernel='/k'\nroot='/dev/xvda'\n") == 0);
	EXPECT(!strcmp(cfg.cmdline, "root=/dev/xvda"));
}

static void test_semicolons_and_blank_lines(void)
{
	EXPECT(parse("\n\n  name = 'g'; kernel = '/k'\r\n\n vcpus=2\n") == 0);
	EXPECT(cfg.vcpus == 2);
}

static void test_errors_name_file_line_key(void)
{
	EXPECT(refused("name='g'\nkernel='/k'\ncolour = 3\n",
		       "/etc/hv/t.cfg:3: key 'colour': unknown key"));
	EXPECT(refused("name='g'\nkernel='/k'\nmemory = 'lots'\n",
		       "/etc/hv/t.cfg:3: key 'memory': expects a number"));
	EXPECT(refused("name='g'\nkernel='/k'\nmemory = lots\n",
		       "/etc/hv/t.cfg:3: key 'memory': a value is"));
	EXPECT(refused("name='g'\nkernel='/k'\nmemory = 12abc\n",
		       "/etc/hv/t.cfg:3: key 'memory': '12abc' is not a number"));
	EXPECT(refused("name='g'\nkernel='/k'\nmemory = 99999999999999999999\n",
		       "/etc/hv/t.cfg:3: key 'memory': number out of range"));
	EXPECT(refused("name='g'\nkernel='/k'\nmemory = -5\n",
		       "/etc/hv/t.cfg:3: key 'memory': -5 is out of range"));
	EXPECT(refused("name='g'\nkernel='/k'\nmemory = 8\n",
		       "/etc/hv/t.cfg:3: key 'memory': 8 is out of range"));
	EXPECT(refused("name='g'\nkernel='/k'\nvcpus = 0\n",
		       "/etc/hv/t.cfg:3: key 'vcpus'"));
	EXPECT(refused("name='g'\nkernel='/k'\nvcpus = 65\n",
		       "/etc/hv/t.cfg:3: key 'vcpus'"));
	EXPECT(refused("name='g'\nkernel='/k'\nmemory = 256\nmaxmem = 128\n",
		       "/etc/hv/t.cfg:4: key 'maxmem': 128 MiB is below memory"));
	EXPECT(refused("name='g'\nname='h'\nkernel='/k'\n",
		       "/etc/hv/t.cfg:2: key 'name': given twice (first on line 1)"));
	EXPECT(refused("name='g'\nkernel='/k'\non_crash='coredump-destroy'\n",
		       "/etc/hv/t.cfg:3: key 'on_crash': 'coredump-destroy' is not one of"));
	EXPECT(refused("name='a b'\nkernel='/k'\n", "/etc/hv/t.cfg:1: key 'name': ' '"));
	EXPECT(refused("name=''\nkernel='/k'\n", "/etc/hv/t.cfg:1: key 'name': empty name"));
	EXPECT(refused("name='g'\nkernel='/k\n", "/etc/hv/t.cfg:2: key 'kernel': unterminated string"));
	EXPECT(refused("name='g'\nkernel='/k'\nname2\n",
		       "/etc/hv/t.cfg:3: key 'name2': unknown key"));
	EXPECT(refused("name='g'\nkernel='/k'\nvcpus 2\n",
		       "/etc/hv/t.cfg:3: key 'vcpus': expected '='"));
	EXPECT(refused("name='g'\nkernel='/k'\n= 2\n", "/etc/hv/t.cfg:3: expected 'key = value'"));
	EXPECT(refused("name='g'\nkernel='/k'\nvcpus =\n", "/etc/hv/t.cfg:3: key 'vcpus': missing value"));
	EXPECT(refused("name='g'\nkernel='/k' junk\n",
		       "/etc/hv/t.cfg:2: key 'kernel': unexpected text"));
	EXPECT(refused("kernel='/k'\n", "/etc/hv/t.cfg:2: key 'name' is required"));
	EXPECT(refused("name='g'\n", "/etc/hv/t.cfg:2: key 'kernel' is required"));
}

static void test_lists(void)
{
	/* No list key exists yet: a list is parsed, then refused by type,
	 * with the line where the statement started or ended. */
	EXPECT(refused("name='g'\nkernel='/k'\nextra = [ 'a',\n  \"b\", # c\n ]\n",
		       "/etc/hv/t.cfg:5: key 'extra': expects a quoted string"));
	EXPECT(refused("name='g'\nkernel='/k'\nextra = [ 'a',\n", "/etc/hv/t.cfg:4: key 'extra': unterminated list"));
	EXPECT(refused("name='g'\nkernel='/k'\nextra = [ 1 ]\n",
		       "/etc/hv/t.cfg:3: key 'extra': list items must be quoted"));
	EXPECT(refused("name='g'\nkernel='/k'\nextra = [ 'a' 'b' ]\n",
		       "/etc/hv/t.cfg:3: key 'extra': expected ',' or ']'"));
}

static void test_nul_and_long_values(void)
{
	static const char with_nul[] = "name='g'\nkernel='/k'\0\n";
	char *big;

	err[0] = '\0';
	EXPECT(hv_config_parse(with_nul, sizeof(with_nul) - 1, "t.cfg", &cfg, err,
			       sizeof(err)) == -1);
	EXPECT(strstr(err, "NUL byte") != NULL);

	big = malloc(5000);
	strcpy(big, "name='g'\nkernel='/k'\nextra='");
	memset(big + strlen(big), 'x', 3000);
	strcpy(big + strlen("name='g'\nkernel='/k'\nextra='") + 3000, "'\n");
	EXPECT(refused(big, "/etc/hv/t.cfg:3: key 'extra': longer than 2047 bytes"));
	free(big);
	EXPECT(refused("name='aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'\n",
		       "/etc/hv/t.cfg:1: key 'name': longer than 63"));
}

static void test_load_checks_files(void)
{
	char dir[] = "/tmp/hvcfgXXXXXX", path[128], kernel[128];
	FILE *f;

	EXPECT(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/g.cfg", dir);
	snprintf(kernel, sizeof(kernel), "%s/vmlinuz", dir);
	f = fopen(path, "w");
	fprintf(f, "name = 'g'\n\nkernel = 'vmlinuz'\nramdisk = '%s'\n", dir);
	fclose(f);
	EXPECT(hv_config_load(path, &cfg, err, sizeof(err)) == -1);
	EXPECT(strstr(err, ":3: key 'kernel':") && strstr(err, "No such file"));
	f = fopen(kernel, "w");
	fclose(f);
	EXPECT(hv_config_load(path, &cfg, err, sizeof(err)) == -1);
	EXPECT(strstr(err, ":4: key 'ramdisk':") && strstr(err, "not a regular file"));
	EXPECT(hv_config_load("/nonexistent/x.cfg", &cfg, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "/nonexistent/x.cfg: No such file") != NULL);
	unlink(kernel);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	RUN(test_minimal_defaults);
	RUN(test_all_keys);
	RUN(test_cmdline_replaces_extra);
	RUN(test_semicolons_and_blank_lines);
	RUN(test_errors_name_file_line_key);
	RUN(test_lists);
	RUN(test_nul_and_long_values);
	RUN(test_load_checks_files);
	return UNIT_EXIT();
}
