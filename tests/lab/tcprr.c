// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcprr.c: a TCP request/response latency probe, netperf's TCP_RR in
 * miniature. Server: tcprr -s [PORT] (forks, echoes each 1-byte request
 * until the peer closes; -d to run in the background). Client:
 * tcprr -c ADDR [PORT] [ROUNDS]: one connection, ROUNDS round trips of one
 * byte each way, TCP_NODELAY; prints "rr_median_us=N rr_p99_us=N
 * trans_per_s=N".
 *
 * UDP content check: tcprr -e [PORT] (background; -E: foreground) echoes
 * every datagram;
 * tcprr -u ADDR [PORT] [COUNT] sends COUNT datagrams of 1 to 8000 bytes
 * (IP fragments over 1472 at MTU 1500) whose bytes follow from their
 * sequence number, one at a time (up to 3 tries of 1 s), checks each echo
 * byte for byte and prints "udp_sent=N udp_ok=N udp_bad=N udp_lost=N";
 * exit 0 only when every datagram came back intact.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_PORT	5208

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static int serve(int port, int daemonize)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 8)) {
		perror("tcprr: server socket");
		return 1;
	}
	if (daemonize && daemon(0, 0)) {
		perror("tcprr: daemon");
		return 1;
	}
	signal(SIGCHLD, SIG_IGN);
	for (;;) {
		int c = accept(s, NULL, NULL);
		char b;

		if (c < 0)
			continue;
		if (fork() == 0) {
			close(s);
			setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			while (read(c, &b, 1) == 1)
				if (write(c, &b, 1) != 1)
					break;
			_exit(0);
		}
		close(c);
	}
}

static int client(const char *addr, int port, int rounds)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	long long *ns, t0, total;
	int one = 1, s, i;
	char b = 'x';

	if (inet_pton(AF_INET, addr, &a.sin_addr) != 1) {
		fprintf(stderr, "tcprr: '%s' is not an IPv4 address\n", addr);
		return 2;
	}
	ns = calloc((size_t)rounds, sizeof(*ns));
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (!ns || s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a))) {
		perror("tcprr: connect");
		return 1;
	}
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	total = now_ns();
	for (i = 0; i < rounds; i++) {
		t0 = now_ns();
		if (write(s, &b, 1) != 1 || read(s, &b, 1) != 1) {
			fprintf(stderr, "tcprr: round %d failed\n", i);
			return 1;
		}
		ns[i] = now_ns() - t0;
	}
	total = now_ns() - total;
	qsort(ns, (size_t)rounds, sizeof(*ns), cmp_ll);
	printf("rr_median_us=%lld rr_p99_us=%lld trans_per_s=%lld\n", ns[rounds / 2] / 1000,
	       ns[rounds - 1 - rounds / 100] / 1000, rounds * 1000000000ll / (total ? total : 1));
	close(s);
	free(ns);
	return 0;
}

#define UDP_MAX	8000

/* The bytes of datagram @seq: its length, then a sequence-seeded LCG. */
static size_t udp_fill(unsigned char *b, unsigned int seq)
{
	size_t len = 1 + (seq * 2654435761u) % UDP_MAX, i;
	uint32_t x = seq * 2246822519u + 1;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (unsigned char)(x >> 16);
	}
	if (len >= 4)
		memcpy(b, &seq, 4);
	return len;
}

static int udp_echo(int port, int daemonize)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	static unsigned char b[65536];
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a))) {
		perror("tcprr: udp socket");
		return 1;
	}
	if (daemonize && daemon(0, 0)) {
		perror("tcprr: daemon");
		return 1;
	}
	for (;;) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(s, b, sizeof(b), 0, (struct sockaddr *)&from, &fl);

		if (n >= 0)
			sendto(s, b, (size_t)n, 0, (struct sockaddr *)&from, fl);
	}
}

static int udp_client(const char *addr, int port, int count)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	static unsigned char want[UDP_MAX], got[UDP_MAX + 1];
	struct timeval tv = { .tv_sec = 1 };
	int s, i, ok = 0, bad = 0, lost = 0;

	if (inet_pton(AF_INET, addr, &a.sin_addr) != 1) {
		fprintf(stderr, "tcprr: '%s' is not an IPv4 address\n", addr);
		return 2;
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) ||
	    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("tcprr: udp connect");
		return 1;
	}
	for (i = 0; i < count; i++) {
		size_t len = udp_fill(want, (unsigned int)i);
		int tries, done = 0;

		for (tries = 0; tries < 3 && !done; tries++) {
			if (send(s, want, len, 0) != (ssize_t)len)
				continue;
			/* an echo of an earlier try may come late: skip those */
			for (;;) {
				ssize_t n = recv(s, got, sizeof(got), 0);
				unsigned int seq;

				if (n < 0)
					break;
				if (n >= 4 && len >= 4) {
					memcpy(&seq, got, 4);
					if (seq != (unsigned int)i)
						continue;
				}
				if ((size_t)n == len && !memcmp(got, want, len))
					ok++;
				else
					bad++;
				done = 1;
				break;
			}
		}
		if (!done)
			lost++;
	}
	printf("udp_sent=%d udp_ok=%d udp_bad=%d udp_lost=%d\n", count, ok, bad, lost);
	close(s);
	return ok == count ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "-e") || !strcmp(argv[1], "-E")))
		return udp_echo(argc > 2 ? atoi(argv[2]) : DEFAULT_PORT, argv[1][1] == 'e');
	if (argc >= 3 && !strcmp(argv[1], "-u"))
		return udp_client(argv[2], argc > 3 ? atoi(argv[3]) : DEFAULT_PORT,
				  argc > 4 && atoi(argv[4]) > 0 ? atoi(argv[4]) : 1000);
	if (argc >= 2 && (!strcmp(argv[1], "-s") || !strcmp(argv[1], "-d")))
		return serve(argc > 2 ? atoi(argv[2]) : DEFAULT_PORT, argv[1][1] == 'd');
	if (argc >= 3 && !strcmp(argv[1], "-c"))
		return client(argv[2], argc > 3 ? atoi(argv[3]) : DEFAULT_PORT,
			      argc > 4 && atoi(argv[4]) > 0 ? atoi(argv[4]) : 1000);
	fprintf(stderr, "usage: tcprr -s|-d|-e|-E [PORT] | tcprr -c|-u ADDR [PORT] [ROUNDS]\n");
	return 2;
}
