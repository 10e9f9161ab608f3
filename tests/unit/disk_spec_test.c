// SPDX-License-Identifier: GPL-2.0-only
/*
 * disk_spec_test.c: xl's disk specifications (hv/common/disk_spec.c), Xen's
 * virtual device numbers, the blkif wire layout (include/xen/hvx/blkif.h)
 * and blkback's request validation (drivers/xen/blkback/blkif_check.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "kernel_shim.h"
typedef int16_t s16;
#include "unit.h"
#include "common/config.h"
#include "common/disk_spec.h"
#include "../../drivers/xen/blkback/blkif_check.h"

static struct disk_spec d;
static char err[DISK_SPEC_ERR_MAX];

static int parse(const char *s)
{
	err[0] = '\0';
	return disk_spec_parse(s, &d, err, sizeof(err));
}

static void legacy_forms(void)
{
	EXPECT(parse("phy:/dev/vdb,xvda,w") == 0);
	EXPECT(d.kind == DISK_KIND_PHY && !strcmp(d.target, "/dev/vdb"));
	EXPECT(!strcmp(d.vdev, "xvda") && d.devid == 51712 && !d.readonly);
	EXPECT(parse("file:/var/lib/images/d1.img,xvdb,r") == 0);
	EXPECT(d.kind == DISK_KIND_FILE && d.readonly && d.devid == 51728);
	EXPECT(!strcmp(d.target, "/var/lib/images/d1.img"));
	EXPECT(parse("raw:/root/image.iso,hdc:cdrom,ro") == 0);
	EXPECT(d.cdrom && d.readonly && d.devid == (22 << 8));
	EXPECT(parse("tap:aio:/x.img,xvdc,w") == 0 && d.kind == DISK_KIND_FILE);
}

static void positional_and_keys(void)
{
	EXPECT(parse("/dev/vg/guest-volume,,xvda") == 0);
	EXPECT(d.kind == DISK_KIND_AUTO && d.devid == 51712 && !d.readonly);
	EXPECT(parse("/dev/vg/guest-volume,raw,xvda,rw") == 0 && d.devid == 51712);
	EXPECT(parse("format=raw, vdev=xvda, access=rw, target=/dev/vg/guest-volume") == 0);
	EXPECT(!strcmp(d.target, "/dev/vg/guest-volume") && !strcmp(d.vdev, "xvda"));
	/* target= takes the rest, commas included. */
	EXPECT(parse("vdev=xvdb, access=ro, target=/a,b.img") == 0);
	EXPECT(!strcmp(d.target, "/a,b.img") && d.readonly);
	EXPECT(parse("/root/image.iso,,hdc,cdrom") == 0 && d.cdrom && d.readonly);
	EXPECT(parse("/root/image.iso,raw,xvdd,devtype=cdrom") == 0 && d.cdrom);
	EXPECT(parse("/x.img,,xvde,w,discard") == 0 && d.discard == 1);
	EXPECT(parse("/x.img,,xvde,w,no-discard") == 0 && d.discard == 0);
	EXPECT(parse("/x.img,,xvde,w,script=/etc/hv/block2") == 0);
	EXPECT(!strcmp(d.script, "/etc/hv/block2"));
}

static void bad_specs(void)
{
	EXPECT(parse("phy:/dev/vdb,xvda") == 0);	/* access defaults to rw */
	EXPECT(parse("phy:/dev/vdb") == -1 && strstr(err, "no vdev"));
	EXPECT(parse(",,xvda") == -1 && strstr(err, "no target"));
	EXPECT(parse("/x,qcow2,xvda") == -1 && strstr(err, "qcow2"));
	EXPECT(parse("qcow2:/x,xvda,w") == -1 && strstr(err, "raw"));
	EXPECT(parse("/x,,xvda,rx") == -1 && strstr(err, "access 'rx'"));
	EXPECT(parse("/x,,xvda,w,extra") == -1 && strstr(err, "too many"));
	EXPECT(parse("/x,,vda") == -1 && strstr(err, "vdev 'vda'"));
	EXPECT(parse("/x,,xvda,w,colour=red") == -1 && strstr(err, "colour"));
	EXPECT(parse("vdev=xvda,vdev=xvdb,target=/x") == -1 && strstr(err, "twice"));
	EXPECT(parse("/x,,xvda,w,backend=3") == -1 && strstr(err, "dom0"));
	EXPECT(parse("/x,,xvda:tape,w") == -1 && strstr(err, "cdrom"));
	EXPECT(parse("") == -1);
}

static uint32_t num(const char *vdev)
{
	uint32_t id = 0xdeadbeef;

	return disk_vdev_to_devid(vdev, &id) ? 0xffffffff : id;
}

static void vdev_numbers(void)
{
	EXPECT(num("xvda") == 51712);
	EXPECT(num("xvda1") == 51713);
	EXPECT(num("xvdb") == (202 << 8 | 16));
	EXPECT(num("xvdp15") == (202 << 8 | 15 << 4 | 15));
	/* Extended form: disk 16 (xvdq) or partition >= 16. */
	EXPECT(num("xvdq") == (1U << 28 | 16 << 8));
	EXPECT(num("xvda16") == (1U << 28 | 16));
	EXPECT(num("xvdz") == (1U << 28 | 25 << 8));
	EXPECT(num("xvdaa") == (1U << 28 | 26 << 8));
	EXPECT(num("xvdzz255") == (1U << 28 | 701 << 8 | 255));
	EXPECT(num("hda") == (3 << 8) && num("hdb") == (3 << 8 | 64));
	EXPECT(num("hdc") == (22 << 8) && num("hdd2") == (22 << 8 | 66));
	EXPECT(num("sda") == (8 << 8) && num("sdb1") == (8 << 8 | 17));
	EXPECT(num("d0p1") == 51713 && num("d20") == (1U << 28 | 20 << 8));
	EXPECT(num("51712") == 51712);
	EXPECT(num("xvda0") == 0xffffffff);
	EXPECT(num("xvda01") == 0xffffffff);
	EXPECT(num("xvda256") == 0xffffffff);
	EXPECT(num("xvd") == 0xffffffff);
	EXPECT(num("xvdA") == 0xffffffff);
	EXPECT(num("hde") == 0xffffffff);
	EXPECT(num("sdq") == 0xffffffff);
	EXPECT(num("hda64") == 0xffffffff);
	EXPECT(num("0") == 0xffffffff);
	EXPECT(num("99999999999") == 0xffffffff);
	EXPECT(num("xvdzzzzz") == 0xffffffff);
}

static void devid_names(void)
{
	static const char *const names[] = { "xvda", "xvdb3", "xvdp", "xvdq", "xvdaa",
		"xvda17", "xvdzz255", "xvdbaa" };
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		EXPECT(disk_devid_to_name(num(names[i]), buf, sizeof(buf)) == 0);
		EXPECT(!strcmp(buf, names[i]));
	}
	EXPECT(disk_devid_to_name(8 << 8, buf, sizeof(buf)) == -1);
	EXPECT(disk_devid_to_name(51712, buf, 4) == -1);
}

static void blkif_layout(void)
{
	EXPECT(sizeof(struct hvx_blkif_request) == 112);
	EXPECT(sizeof(struct hvx_blkif_response) == 16);
	EXPECT(sizeof(struct hvx_blkif_request_segment) == 8);
	EXPECT(offsetof(struct hvx_blkif_request, u.rw.nr_segments) == 1);
	EXPECT(offsetof(struct hvx_blkif_request, u.rw.handle) == 2);
	EXPECT(offsetof(struct hvx_blkif_request, u.rw.id) == 8);
	EXPECT(offsetof(struct hvx_blkif_request, u.rw.sector_number) == 16);
	EXPECT(offsetof(struct hvx_blkif_request, u.rw.seg) == 24);
	EXPECT(offsetof(struct hvx_blkif_request, u.discard.flag) == 1);
	EXPECT(offsetof(struct hvx_blkif_request, u.discard.id) == 8);
	EXPECT(offsetof(struct hvx_blkif_request, u.discard.nr_sectors) == 24);
	EXPECT(offsetof(struct hvx_blkif_request, u.other.id) == 8);
	EXPECT(offsetof(struct hvx_blkif_request, u.indirect.indirect_op) == 1);
	EXPECT(offsetof(struct hvx_blkif_request, u.indirect.nr_segments) == 2);
	EXPECT(offsetof(struct hvx_blkif_request, u.indirect.id) == 8);
	EXPECT(offsetof(struct hvx_blkif_request, u.indirect.handle) == 24);
	EXPECT(offsetof(struct hvx_blkif_request, u.indirect.indirect_grefs) == 28);
	EXPECT(sizeof(struct hvx_blkif_request_indirect) == 63);
	EXPECT(offsetof(struct hvx_blkif_response, operation) == 8);
	EXPECT(offsetof(struct hvx_blkif_response, status) == 10);
	EXPECT(HVX_BLKIF_RING_SIZE(1) == 32);
	EXPECT(HVX_BLKIF_RING_SIZE(16) == 512);
	EXPECT(HVX_BLKIF_SEGS_PER_INDIRECT_FRAME == 512);
}

static const struct hvx_blkif_limits lim = {
	.nr_sectors = 1000, .max_indirect_segs = 256, .flush = true,
	.discard = true,
};

static enum hvx_blkif_verdict check(struct hvx_blkif_request *r, const struct hvx_blkif_limits *l,
				    struct hvx_blkif_plan *plan)
{
	struct hvx_blkif_request_segment segs[HVX_BLKIF_MAX_SEGMENTS_PER_REQUEST];
	enum hvx_blkif_verdict v = hvx_blkif_check_request(r, l, plan);

	if (v || plan->indirect || !plan->nr_segs)
		return v;
	memcpy(segs, (const void *)r->u.rw.seg, sizeof(segs));
	return hvx_blkif_check_segments(plan, segs, l);
}

static void rw(struct hvx_blkif_request *r, u8 op, u8 nseg, u64 sector)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->operation = op;
	r->u.rw.nr_segments = nseg;
	r->u.rw.id = 0x1122334455667788ULL;
	r->u.rw.sector_number = sector;
	for (i = 0; i < HVX_BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
		r->u.rw.seg[i].gref = i + 8;
		r->u.rw.seg[i].first_sect = 0;
		r->u.rw.seg[i].last_sect = 7;
	}
}

static void good_requests(void)
{
	struct hvx_blkif_request r;
	struct hvx_blkif_plan p;

	rw(&r, HVX_BLKIF_OP_READ, 11, 0);
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_GOOD);
	EXPECT(p.nr_sectors == 88 && !p.write && p.id == 0x1122334455667788ULL);
	rw(&r, HVX_BLKIF_OP_WRITE, 1, 992);		/* the last 8 sectors */
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_GOOD && p.write);
	r.u.rw.seg[0].first_sect = 3;
	r.u.rw.seg[0].last_sect = 3;
	r.u.rw.sector_number = 999;
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_GOOD && p.nr_sectors == 1);
	rw(&r, HVX_BLKIF_OP_FLUSH_DISKCACHE, 0, 0);
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_GOOD && p.flush && !p.write);
	rw(&r, HVX_BLKIF_OP_FLUSH_DISKCACHE, 2, 8);
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_GOOD && p.flush && p.write);
	memset(&r, 0, sizeof(r));
	r.operation = HVX_BLKIF_OP_DISCARD;
	r.u.discard.sector_number = 100;
	r.u.discard.nr_sectors = 900;
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_GOOD && p.nr_sectors == 900);
	memset(&r, 0, sizeof(r));
	r.operation = HVX_BLKIF_OP_INDIRECT;
	r.u.indirect.indirect_op = HVX_BLKIF_OP_WRITE;
	r.u.indirect.nr_segments = 256;
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_GOOD);
	EXPECT(p.indirect && p.write && p.nr_indirect_pages == 1);
}

static void bad_requests(void)
{
	struct hvx_blkif_limits ro = lim, plain = lim;
	struct hvx_blkif_request r;
	struct hvx_blkif_plan p;

	ro.readonly = true;
	plain.flush = plain.discard = false;
	plain.max_indirect_segs = 0;
	rw(&r, HVX_BLKIF_OP_READ, 12, 0);
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_BAD_NR_SEGS);
	rw(&r, HVX_BLKIF_OP_READ, 255, 0);
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_BAD_NR_SEGS);
	rw(&r, HVX_BLKIF_OP_READ, 0, 0);
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_BAD_NR_SEGS);
	rw(&r, HVX_BLKIF_OP_READ, 2, 0);
	r.u.rw.seg[1].first_sect = 5;
	r.u.rw.seg[1].last_sect = 4;
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_BAD_SECT);
	r.u.rw.seg[1].first_sect = 0;
	r.u.rw.seg[1].last_sect = 8;
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_BAD_SECT);
	rw(&r, HVX_BLKIF_OP_READ, 1, 993);		/* one sector past the end */
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_BAD_RANGE);
	rw(&r, HVX_BLKIF_OP_READ, 1, UINT64_MAX - 3);	/* wraps */
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_BAD_RANGE);
	rw(&r, HVX_BLKIF_OP_WRITE, 1, 0);
	EXPECT(check(&r, &ro, &p) == HVX_BLKIF_READONLY);
	rw(&r, HVX_BLKIF_OP_READ, 1, 0);
	EXPECT(check(&r, &ro, &p) == HVX_BLKIF_GOOD);
	rw(&r, HVX_BLKIF_OP_FLUSH_DISKCACHE, 0, 0);
	EXPECT(check(&r, &plain, &p) == HVX_BLKIF_UNSUPPORTED);
	EXPECT(hvx_blkif_verdict_status(HVX_BLKIF_UNSUPPORTED) == HVX_BLKIF_RSP_EOPNOTSUPP);
	EXPECT(hvx_blkif_verdict_status(HVX_BLKIF_BAD_RANGE) == HVX_BLKIF_RSP_ERROR);
	EXPECT(!strcmp(hvx_blkif_verdict_name(HVX_BLKIF_READONLY), "write to a read-only disk"));
	rw(&r, HVX_BLKIF_OP_RESERVED_1, 1, 0);
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_BAD_OP && p.id == 0x1122334455667788ULL);
	rw(&r, 200, 1, 0);
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_BAD_OP);
	memset(&r, 0, sizeof(r));
	r.operation = HVX_BLKIF_OP_DISCARD;
	r.u.discard.sector_number = 1;
	r.u.discard.nr_sectors = UINT64_MAX;
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_BAD_RANGE);
	r.u.discard.nr_sectors = 1;
	EXPECT(check(&r, &ro, &p) == HVX_BLKIF_READONLY);
	r.u.discard.flag = HVX_BLKIF_DISCARD_SECURE;
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_UNSUPPORTED);
	memset(&r, 0, sizeof(r));
	r.operation = HVX_BLKIF_OP_INDIRECT;
	r.u.indirect.indirect_op = HVX_BLKIF_OP_INDIRECT;	/* indirect in indirect */
	r.u.indirect.nr_segments = 8;
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_BAD_OP);
	r.u.indirect.indirect_op = HVX_BLKIF_OP_READ;
	r.u.indirect.nr_segments = 257;
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_BAD_NR_SEGS);
	r.u.indirect.nr_segments = 0;
	EXPECT(check(&r, &lim, &p) == HVX_BLKIF_BAD_NR_SEGS);
	r.u.indirect.nr_segments = 8;
	EXPECT(check(&r, &plain, &p) == HVX_BLKIF_UNSUPPORTED);
}

/* The disk = [...] key of a domain config (hv/common/config.c). */
static void config_disk_key(void)
{
	static struct hv_config cfg;
	char cerr[HV_CONFIG_ERR_MAX];
	const char *ok = "name = 'g'\nkernel = '/k'\n"
		"disk = [ 'phy:/dev/vdb,xvda,w',\n 'file:/i.img,xvdb,r' ]\n";
	const char *dup = "name = 'g'\nkernel = '/k'\n"
		"disk = [ 'phy:/dev/vdb,xvda,w', '/x,,51712' ]\n";
	const char *bad = "name = 'g'\nkernel = '/k'\ndisk = [ '/x,,xvda,maybe' ]\n";

	EXPECT(hv_config_parse(ok, strlen(ok), "t.cfg", &cfg, cerr, sizeof(cerr)) == 0);
	EXPECT(cfg.nr_disks == 2 && cfg.disks[0].devid == 51712 && cfg.disks[1].readonly);
	EXPECT(hv_config_parse(dup, strlen(dup), "t.cfg", &cfg, cerr, sizeof(cerr)) == -1);
	EXPECT(strstr(cerr, "t.cfg:3: key 'disk': disks 1 and 2 are both"));
	EXPECT(hv_config_parse(bad, strlen(bad), "t.cfg", &cfg, cerr, sizeof(cerr)) == -1);
	EXPECT(strstr(cerr, "t.cfg:3: key 'disk': disk 1 '/x,,xvda,maybe': access 'maybe'"));
}

int main(void)
{
	RUN(legacy_forms);
	RUN(positional_and_keys);
	RUN(bad_specs);
	RUN(vdev_numbers);
	RUN(devid_names);
	RUN(blkif_layout);
	RUN(good_requests);
	RUN(bad_requests);
	RUN(config_disk_key);
	return UNIT_EXIT();
}
