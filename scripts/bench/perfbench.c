// SPDX-License-Identifier: GPL-2.0
/*
 * perfbench: the small programs behind make bench (scripts/guest/bench.sh).
 * Each prints one figure, "<value> <unit>", measured with CLOCK_MONOTONIC:
 * under QEMU -icount that is guest time, which counts guest instructions.
 *
 *   perfbench cgswitch <loops> <cgroup-a> <cgroup-b>
 *	two processes in two cgroups (paths under /sys/fs/cgroup) ping-pong
 *	one byte through pipes on CPU 0: us per round trip (two switches)
 *   perfbench evloop <loops> <type> <config> [<n> <type>...]
 *	opens <n> (enabled) per-CPU events on CPU 0 spread over
 *	the given PMU types, then opens, enables, disables and closes one
 *	task event <type>/<config> on itself <loops> times: us per loop
 *   perfbench forkexit <loops>
 *	fork a child that exits at once, and wait for it: us per child
 *   perfbench hold <n>
 *	fork <n> children that sleep, and report the growth of the kernel's
 *	slab memory (Slab in /proc/meminfo) per child: KiB per task
 *   perfbench spin <loops>
 *	a fixed amount of user-space work: us for all of it
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static void join_cgroup(const char *cg)
{
	char path[512], pid[32];
	int fd, n;

	snprintf(path, sizeof(path), "/sys/fs/cgroup/%s/cgroup.procs", cg);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		die(path);
	n = snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (write(fd, pid, n) != n)
		die(path);
	close(fd);
}

static int cgswitch(long loops, const char *a, const char *b)
{
	int ab[2], ba[2];
	double t0, t1;
	pid_t child;
	char c = 0;
	long i;

	pin_cpu0();
	if (pipe(ab) || pipe(ba))
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (!child) {
		join_cgroup(b);
		for (i = 0; i <= loops; i++) {
			if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	join_cgroup(a);
	/* One round trip first: the child has joined its cgroup then. */
	if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
		die("pipe io");
	t0 = now_us();
	for (i = 0; i < loops; i++) {
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			die("pipe io");
	}
	t1 = now_us();
	waitpid(child, NULL, 0);
	printf("%.4f us/op\n", (t1 - t0) / loops);
	return 0;
}

static int perf_open(struct perf_event_attr *attr, pid_t pid, int cpu)
{
	return syscall(__NR_perf_event_open, attr, pid, cpu, -1,
		       PERF_FLAG_FD_CLOEXEC);
}

static int evloop(int argc, char **argv)
{
	long loops = atol(argv[0]), i;
	struct perf_event_attr attr = {
		.size		= sizeof(attr),
		.type		= atoi(argv[1]),
		.config		= strtoull(argv[2], NULL, 0),
		.disabled	= 1,
	};
	int n = argc > 3 ? atoi(argv[3]) : 0, ntypes = argc - 4;
	double t0, t1;
	int fd;

	pin_cpu0();
	for (i = 0; i < n; i++) {
		struct perf_event_attr cpu_attr = {
			.size	= sizeof(cpu_attr),
			.type	= atoi(argv[4 + i % ntypes]),
		};

		if (perf_open(&cpu_attr, -1, 0) < 0)
			die("per-CPU event");
	}
	t0 = now_us();
	for (i = 0; i < loops; i++) {
		fd = perf_open(&attr, 0, -1);
		if (fd < 0)
			die("task event");
		if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) ||
		    ioctl(fd, PERF_EVENT_IOC_DISABLE, 0))
			die("ioctl");
		close(fd);
	}
	t1 = now_us();
	printf("%.4f us/op\n", (t1 - t0) / loops);
	return 0;
}

static int forkexit(long loops)
{
	double t0, t1;
	long i;

	pin_cpu0();
	t0 = now_us();
	for (i = 0; i < loops; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid)
			_exit(0);
		if (waitpid(pid, NULL, 0) != pid)
			die("waitpid");
	}
	t1 = now_us();
	printf("%.4f us/op\n", (t1 - t0) / loops);
	return 0;
}

static long slab_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f;

	/*
	 * Let RCU-freed objects of earlier children go first, and fold the
	 * per-CPU counter deltas into the totals (vm.stat_refresh).
	 */
	sync();
	usleep(200000);
	f = fopen("/proc/sys/vm/stat_refresh", "w");
	if (f) {
		fputs("1\n", f);
		fclose(f);
	}
	f = fopen("/proc/meminfo", "r");
	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Slab: %ld kB", &kib) == 1)
			break;
	}
	fclose(f);
	return kib;
}

static int hold(int n)
{
	int ready[2];
	pid_t *pids;
	long before, after;
	char c;
	int i;

	pids = calloc(n, sizeof(*pids));
	if (!pids || pipe(ready))
		die("hold");
	before = slab_kib();
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (!pids[i]) {
			/* Never outlive the parent, whatever happens to it. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(0);
			c = 1;
			if (write(ready[1], &c, 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		}
		if (read(ready[0], &c, 1) != 1)
			die("ready");
	}
	after = slab_kib();
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	printf("%.3f KiB/task\n", (double)(after - before) / n);
	return 0;
}

static int spin(long loops)
{
	volatile unsigned long x = 0;
	double t0, t1;
	long i;

	t0 = now_us();
	for (i = 0; i < loops; i++)
		x += i ^ (x >> 3);
	t1 = now_us();
	printf("%.1f us\n", t1 - t0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "cgswitch"))
		return cgswitch(atol(argv[2]), argv[3], argv[4]);
	if (argc >= 5 && !strcmp(argv[1], "evloop") && argc != 6)
		return evloop(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "forkexit"))
		return forkexit(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "hold"))
		return hold(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "spin"))
		return spin(atol(argv[2]));
	fprintf(stderr, "usage: see the comment at the top of %s\n", __FILE__);
	return 2;
}
