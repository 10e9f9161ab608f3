// SPDX-License-Identifier: GPL-2.0-only
/*
 * vif_spec_test.c: xl's vif specs and rates (hv/common/vif_spec.c), the
 * netif wire sizes (include/xen/hvx/netif.h), netback's tx-request checks
 * (drivers/xen/netback/txcheck.h) on well-formed and hostile packets, and
 * its Toeplitz hash and control-ring table checks (hash.h).
 */
#include <stddef.h>
#include <string.h>
#include "kernel_shim.h"
typedef int16_t s16;
#include "unit.h"
#include "common/config.h"
#include "common/vif_spec.h"
#include "../drivers/xen/netback/txcheck.h"
#include "../drivers/xen/netback/hash.h"

static char err[VIF_SPEC_ERR_MAX];

static void spec_full(void)
{
	struct vif_spec v;

	EXPECT(!vif_spec_parse("bridge=xenbr1,mac=00:16:3e:01:02:03,rate=10Mb/s", &v, err,
			       sizeof(err)));
	EXPECT(!strcmp(v.bridge, "xenbr1"));
	EXPECT(v.mac_given);
	EXPECT(v.mac[0] == 0 && v.mac[1] == 0x16 && v.mac[2] == 0x3e && v.mac[5] == 3);
	EXPECT(v.has_rate);
	/* 10 Mbit/s = 1.25 MB/s; 50 ms of it */
	EXPECT(v.rate_bytes == 62500);
	EXPECT(v.rate_usecs == 50000);
	EXPECT(v.devid == -1);
}

static void spec_defaults(void)
{
	struct vif_spec v;

	EXPECT(!vif_spec_parse("", &v, err, sizeof(err)));
	EXPECT(!strcmp(v.bridge, "xenbr0"));
	EXPECT(!strcmp(v.script, "vif-bridge"));
	EXPECT(!v.mac_given && !v.has_rate && v.devid == -1 && !v.mtu);
	EXPECT(!vif_spec_parse(" mac=00:16:3E:0A:0B:0C , bridge=br9 ,devid=3,mtu=9000", &v,
			       err, sizeof(err)));
	EXPECT(v.mac[3] == 0x0a && v.mac[5] == 0x0c);
	EXPECT(!strcmp(v.bridge, "br9") && v.devid == 3 && v.mtu == 9000);
}

static void spec_errors(void)
{
	struct vif_spec v;

	EXPECT(vif_spec_parse("colour=blue", &v, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "colour"));
	EXPECT(vif_spec_parse("mac=00:16:3e:01:02", &v, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "mac"));
	EXPECT(vif_spec_parse("mac=01:16:3e:01:02:03", &v, err, sizeof(err)) == -1);
	EXPECT(vif_spec_parse("mac=00:16:3e:01:02:0g", &v, err, sizeof(err)) == -1);
	EXPECT(vif_spec_parse("bridge", &v, err, sizeof(err)) == -1);
	EXPECT(vif_spec_parse("bridge=", &v, err, sizeof(err)) == -1);
	EXPECT(vif_spec_parse("bridge=a/b", &v, err, sizeof(err)) == -1);
	EXPECT(vif_spec_parse("bridge=abcdefghijklmnopq", &v, err, sizeof(err)) == -1);
	EXPECT(vif_spec_parse("devid=70000", &v, err, sizeof(err)) == -1);
	EXPECT(vif_spec_parse("mtu=20", &v, err, sizeof(err)) == -1);
	EXPECT(vif_spec_parse("backend=3", &v, err, sizeof(err)) == -1);
	EXPECT(vif_spec_parse("rate=10", &v, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "rate"));
}

static void rates(void)
{
	uint64_t b = 0;
	uint32_t us = 0;

	EXPECT(!vif_rate_parse("100MB/s", &b, &us, err, sizeof(err)));
	EXPECT(b == 5000000 && us == 50000);
	EXPECT(!vif_rate_parse("1GB/s@1s", &b, &us, err, sizeof(err)));
	EXPECT(b == 1000000000ull && us == 1000000);
	EXPECT(!vif_rate_parse("8Kb/s@20ms", &b, &us, err, sizeof(err)));
	EXPECT(b == 20 && us == 20000);
	EXPECT(!vif_rate_parse("100000B/s@100us", &b, &us, err, sizeof(err)));
	EXPECT(b == 10 && us == 100);
	/* a tenth of a byte per interval */
	EXPECT(vif_rate_parse("1000B/s@100us", &b, &us, err, sizeof(err)) == -1);
	EXPECT(vif_rate_parse("10Mb", &b, &us, err, sizeof(err)) == -1);
	EXPECT(vif_rate_parse("10Xb/s", &b, &us, err, sizeof(err)) == -1);
	EXPECT(vif_rate_parse("10Mb/s@", &b, &us, err, sizeof(err)) == -1);
	EXPECT(vif_rate_parse("10Mb/s@5h", &b, &us, err, sizeof(err)) == -1);
	EXPECT(vif_rate_parse("0Mb/s", &b, &us, err, sizeof(err)) == -1);
	EXPECT(vif_rate_parse("99999999999999999999MB/s", &b, &us, err, sizeof(err)) == -1);
	EXPECT(vif_rate_parse("18446744073709551615GB/s", &b, &us, err, sizeof(err)) == -1);
	EXPECT(vif_rate_parse("10Mb/s@0ms", &b, &us, err, sizeof(err)) == -1);
}

static void macs(void)
{
	uint8_t mac[6], r[3] = { 0xff, 0x12, 0x34 };
	char s[18];

	vif_mac_from_random(mac, r);
	vif_mac_format(mac, s);
	EXPECT(!strcmp(s, "00:16:3e:7f:12:34"));
	EXPECT(!vif_mac_parse(s, mac));
	EXPECT(mac[3] == 0x7f);
}

static void mac_generated(void)
{
	struct vif_spec a, b;

	EXPECT(!vif_spec_parse("bridge=xenbr0", &a, err, sizeof(err)));
	EXPECT(!vif_spec_parse("bridge=xenbr0", &b, err, sizeof(err)));
	EXPECT(!vif_spec_fill_mac(&a) && !vif_spec_fill_mac(&b));
	EXPECT(a.mac_given && a.mac[0] == 0 && a.mac[1] == 0x16 && a.mac[2] == 0x3e);
	EXPECT(!(a.mac[3] & 0x80));
	/* 23 random bits each: equal twice in a row would be a broken source */
	EXPECT(memcmp(a.mac, b.mac, 6) != 0);
}

static void config_vif_list(void)
{
	static struct hv_config cfg;
	const char *good = "name = \"a\"\nkernel = \"/k\"\n"
		"vif = [ 'bridge=xenbr0,mac=00:16:3e:01:02:03',\n"
		"        'mac=00:16:3e:0a:0b:0c,bridge=xenbr1,rate=10Mb/s' ]\n";
	const char *bad = "name = \"a\"\nkernel = \"/k\"\nvif = [ 'bridge=xenbr0', 'mac=zz' ]\n";

	EXPECT(!hv_config_parse(good, strlen(good), "t.cfg", &cfg, err, sizeof(err)));
	EXPECT(cfg.nr_vifs == 2);
	EXPECT(!strcmp(cfg.vifs[1].bridge, "xenbr1") && cfg.vifs[1].rate_bytes == 62500);
	EXPECT(cfg.vifs[0].mac[5] == 3 && !cfg.vifs[0].has_rate);
	EXPECT(hv_config_parse(bad, strlen(bad), "t.cfg", &cfg, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "t.cfg:3: key 'vif': item 2") != NULL);
}

static void wire_sizes(void)
{
	EXPECT(XEN_NETIF_TX_RING_SIZE == 256);
	EXPECT(XEN_NETIF_RX_RING_SIZE == 256);
	EXPECT(XEN_NETIF_CTRL_RING_SIZE == 128);
	EXPECT(offsetof(struct xen_netif_tx_request, flags) == 6);
	EXPECT(offsetof(struct xen_netif_tx_request, size) == 10);
	EXPECT(offsetof(struct xen_netif_extra_info, u.gso.type) == 4);
	EXPECT(offsetof(struct xen_netif_extra_info, u.hash.value) == 4);
	EXPECT(offsetof(struct xen_netif_rx_request, gref) == 4);
	EXPECT(offsetof(struct xen_netif_rx_response, status) == 6);
	EXPECT(offsetof(struct xen_netif_ctrl_request, data) == 4);
	EXPECT(offsetof(struct xen_netif_ctrl_response, data) == 8);
	EXPECT(XEN_NETTXF_more_data == 4 && XEN_NETRXF_gso_prefix == 16);
}

/* ---- tx checks ---- */

static struct xen_netif_tx_request req(u16 off, u16 flags, u16 size)
{
	struct xen_netif_tx_request r = { .gref = 8, .offset = off, .flags = flags,
					  .id = 0, .size = size };
	return r;
}

/* Feed a packet: FIRST, the extras, then the frags, as the kernel would. */
static enum netbk_tx_verdict run(struct netbk_txp *p, struct xen_netif_tx_request first,
				 const struct xen_netif_extra_info *x, int nx,
				 const struct xen_netif_tx_request *f, int nf)
{
	int ix = 0, jf = 0;

	netbk_txp_start(p, &first);
	while (p->want != NETBK_WANT_NOTHING) {
		if (p->want == NETBK_WANT_EXTRA) {
			if (ix >= nx)
				return (enum netbk_tx_verdict)99;	/* asked beyond the packet */
			netbk_txp_extra(p, &x[ix++]);
		} else {
			if (jf >= nf)
				return (enum netbk_tx_verdict)99;
			netbk_txp_frag(p, &f[jf++]);
		}
	}
	return netbk_txp_finish(p);
}

static void tx_good(void)
{
	struct netbk_txp p;
	struct xen_netif_tx_request f[2] = { req(0, XEN_NETTXF_more_data, 4096), req(0, 0, 904) };
	struct xen_netif_extra_info gso = { .type = XEN_NETIF_EXTRA_TYPE_GSO };

	EXPECT(run(&p, req(100, 0, 60), NULL, 0, NULL, 0) == NETBK_TX_OK);
	EXPECT(p.first_len == 60 && p.nr_reqs == 1);
	EXPECT(run(&p, req(0, XEN_NETTXF_more_data, 9000), NULL, 0, f, 2) == NETBK_TX_OK);
	EXPECT(p.first_len == 4000 && p.nr_frags == 2 && p.nr_reqs == 3);
	gso.u.gso.size = 1448;
	gso.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
	EXPECT(run(&p, req(0, XEN_NETTXF_more_data | XEN_NETTXF_extra_info, 9000), &gso, 1,
		   f, 2) == NETBK_TX_OK);
	EXPECT(p.nr_reqs == 4 && netbk_txp_extra_of(&p, XEN_NETIF_EXTRA_TYPE_GSO)->u.gso.size == 1448);
	EXPECT(run(&p, req(4096 - 14, 0, 14), NULL, 0, NULL, 0) == NETBK_TX_OK);
}

static void tx_short_and_crossing(void)
{
	struct netbk_txp p;

	EXPECT(run(&p, req(0, 0, 13), NULL, 0, NULL, 0) == NETBK_TX_DROP);
	EXPECT(run(&p, req(0, 0, 0), NULL, 0, NULL, 0) == NETBK_TX_DROP);
	EXPECT(run(&p, req(4000, 0, 200), NULL, 0, NULL, 0) == NETBK_TX_FATAL);
	EXPECT(run(&p, req(0, 0, 0xffff), NULL, 0, NULL, 0) == NETBK_TX_FATAL);
}

static void tx_slots(void)
{
	struct netbk_txp p;
	struct xen_netif_tx_request f[40];
	int i;

	for (i = 0; i < 40; i++)
		f[i] = req(0, XEN_NETTXF_more_data, 100);
	/* 18 slots: fine */
	f[16].flags = 0;
	EXPECT(run(&p, req(0, XEN_NETTXF_more_data, 1800), NULL, 0, f, 17) == NETBK_TX_OK);
	f[16].flags = XEN_NETTXF_more_data;
	/* 19 and 20 slots: dropped, every slot consumed */
	f[17].flags = 0;
	EXPECT(run(&p, req(0, XEN_NETTXF_more_data, 1900), NULL, 0, f, 18) == NETBK_TX_DROP);
	EXPECT(p.nr_reqs == 19);
	f[17].flags = XEN_NETTXF_more_data;
	f[18].flags = 0;
	EXPECT(run(&p, req(0, XEN_NETTXF_more_data, 2000), NULL, 0, f, 19) == NETBK_TX_DROP);
	f[18].flags = XEN_NETTXF_more_data;
	/* 21: the vif is disabled, and the parser stops asking */
	EXPECT(run(&p, req(0, XEN_NETTXF_more_data, 4000), NULL, 0, f, 40) == NETBK_TX_FATAL);
	EXPECT(p.nr_reqs == 21);
}

static void tx_frags(void)
{
	struct netbk_txp p;
	struct xen_netif_tx_request f[2];

	/* a slot larger than what is left */
	f[0] = req(0, 0, 500);
	EXPECT(run(&p, req(0, XEN_NETTXF_more_data, 400), NULL, 0, f, 1) == NETBK_TX_DROP);
	/* an empty slot */
	f[0] = req(0, 0, 0);
	EXPECT(run(&p, req(0, XEN_NETTXF_more_data, 400), NULL, 0, f, 1) == NETBK_TX_DROP);
	/* a further slot crossing its page */
	f[0] = req(4000, 0, 200);
	EXPECT(run(&p, req(0, XEN_NETTXF_more_data, 400), NULL, 0, f, 1) == NETBK_TX_FATAL);
	/* all in the frags, the first slot empty: fine */
	f[0] = req(0, 0, 400);
	EXPECT(run(&p, req(0, XEN_NETTXF_more_data, 400), NULL, 0, f, 1) == NETBK_TX_OK);
	EXPECT(p.first_len == 0);
}

static void tx_extras(void)
{
	struct netbk_txp p;
	struct xen_netif_extra_info x[8];
	u16 fl = XEN_NETTXF_extra_info;
	int i;

	memset(x, 0, sizeof(x));
	x[0].type = XEN_NETIF_EXTRA_TYPE_NONE;
	EXPECT(run(&p, req(0, fl, 60), x, 1, NULL, 0) == NETBK_TX_FATAL);
	x[0].type = XEN_NETIF_EXTRA_TYPE_MAX;
	EXPECT(run(&p, req(0, fl, 60), x, 1, NULL, 0) == NETBK_TX_FATAL);
	x[0].type = 200;
	EXPECT(run(&p, req(0, fl, 60), x, 1, NULL, 0) == NETBK_TX_FATAL);
	x[0].type = XEN_NETIF_EXTRA_TYPE_GSO;
	x[0].u.gso.type = XEN_NETIF_GSO_TYPE_TCPV6;
	x[0].u.gso.size = 0;
	EXPECT(run(&p, req(0, fl, 60), x, 1, NULL, 0) == NETBK_TX_FATAL);
	x[0].u.gso.size = 1400;
	x[0].u.gso.type = 3;
	EXPECT(run(&p, req(0, fl, 60), x, 1, NULL, 0) == NETBK_TX_FATAL);
	x[0].u.gso.type = XEN_NETIF_GSO_TYPE_TCPV6;
	EXPECT(run(&p, req(0, fl, 60), x, 1, NULL, 0) == NETBK_TX_OK);
	/* a chain of extras that never ends */
	for (i = 0; i < 8; i++) {
		x[i].type = XEN_NETIF_EXTRA_TYPE_HASH;
		x[i].flags = XEN_NETIF_EXTRA_FLAG_MORE;
	}
	EXPECT(run(&p, req(0, fl, 60), x, 8, NULL, 0) == NETBK_TX_FATAL);
	EXPECT(p.nr_reqs <= 1 + NETBK_MAX_EXTRAS);
	/* multicast: no packet, so no size check */
	memset(x, 0, sizeof(x));
	x[0].type = XEN_NETIF_EXTRA_TYPE_MCAST_ADD;
	x[0].u.mcast.addr[0] = 1;
	EXPECT(run(&p, req(0, fl, 0), x, 1, NULL, 0) == NETBK_TX_OK);
	EXPECT(netbk_txp_has(&p, XEN_NETIF_EXTRA_TYPE_MCAST_ADD));
}

/* The RSS specification's verification vectors (IPv4, IPv4 + TCP). */
static void toeplitz_vectors(void)
{
	static const u8 key[40] = {
		0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
		0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
		0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
		0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
	};
	/* 66.9.149.187:2794 -> 161.142.100.80:1766 */
	static const u8 a[12] = { 66, 9, 149, 187, 161, 142, 100, 80, 0x0a, 0xea, 0x06, 0xe6 };
	/* 199.92.111.2:14230 -> 65.69.140.83:4739 */
	static const u8 b[12] = { 199, 92, 111, 2, 65, 69, 140, 83, 0x37, 0x96, 0x12, 0x83 };

	EXPECT(netbk_toeplitz(key, 40, a, 8) == 0x323e8fc2);
	EXPECT(netbk_toeplitz(key, 40, a, 12) == 0x51ccc178);
	EXPECT(netbk_toeplitz(key, 40, b, 8) == 0xd718262a);
	EXPECT(netbk_toeplitz(key, 40, b, 12) == 0xc626b0ea);
	/* an empty key hashes everything to 0 */
	EXPECT(netbk_toeplitz(key, 0, a, 12) == 0);
}

static void mapping_offsets(void)
{
	EXPECT(netbk_mapping_fits(0, 128, 128, 4096));
	EXPECT(netbk_mapping_fits(127, 1, 128, 4096));
	EXPECT(netbk_mapping_fits(128, 0, 128, 4096));
	EXPECT(!netbk_mapping_fits(127, 2, 128, 4096));
	EXPECT(!netbk_mapping_fits(0xffffffffu, 2, 128, 4096));
	EXPECT(!netbk_mapping_fits(1, 0xffffffffu, 128, 4096));
	EXPECT(!netbk_mapping_fits(0xc0000000u, 0x40000001u, 0xffffffffu, 4096));
	EXPECT(!netbk_mapping_fits(0, 1025, 4096, 4096));
	EXPECT(!netbk_mapping_fits(0, 1, 0, 4096));
}

int main(void)
{
	RUN(spec_full);
	RUN(spec_defaults);
	RUN(spec_errors);
	RUN(rates);
	RUN(macs);
	RUN(mac_generated);
	RUN(config_vif_list);
	RUN(wire_sizes);
	RUN(tx_good);
	RUN(tx_short_and_crossing);
	RUN(tx_slots);
	RUN(tx_frags);
	RUN(tx_extras);
	RUN(toeplitz_vectors);
	RUN(mapping_offsets);
	return UNIT_EXIT();
}
