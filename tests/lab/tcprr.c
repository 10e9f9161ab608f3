// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcprr.c: a TCP request/response latency probe, netperf's TCP_RR in
 * miniature. Server: tcprr -s [PORT] (forks, echoes each 1-byte request
 * until the peer closes; -d to run in the background). Client:
 * tcprr -c ADDR [PORT] [ROUNDS]: one connection, ROUNDS round trips of one
 * byte each way, TCP_NODELAY; prints "rr_median_us=N rr_p99_us=N
 * trans_per_s=N".
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "-s") || !strcmp(argv[1], "-d")))
		return serve(argc > 2 ? atoi(argv[2]) : DEFAULT_PORT, argv[1][1] == 'd');
	if (argc >= 3 && !strcmp(argv[1], "-c"))
		return client(argv[2], argc > 3 ? atoi(argv[3]) : DEFAULT_PORT,
			      argc > 4 && atoi(argv[4]) > 0 ? atoi(argv[4]) : 1000);
	fprintf(stderr, "usage: tcprr -s|-d [PORT] | tcprr -c ADDR [PORT] [ROUNDS]\n");
	return 2;
}
