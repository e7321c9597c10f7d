/*
 * udpblast: a native paced UDP probe and echo for bench/tunnel-bench.sh, so that the load generator
 * is not what limits plain UDP (the Java UdpProbe/UdpEcho pair tops out far below iperf3 at 64 B).
 * Same protocol idea and the same one-line JSON result as io.rsock.netlab.UdpProbe.
 *
 *   udpblast echo  --port 9999 [--seconds 600]
 *   udpblast probe --target 10.201.2.2:9999 --count N --size B --rate PPS [--wait-ms 500]
 *
 * The echo answers batches (recvmmsg/sendmmsg). The probe's sender keeps absolute due times and
 * sends what is due in one sendmmsg; its receiver checks magic, size, sequence (duplicates) and
 * takes the round trip from the send time carried in the datagram.
 *
 * Build: cc -O2 -pthread -o udpblast udpblast.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAGIC 0x72734258u /* "rsBX" */
#define BATCH 64
#define MAXSIZE 65536

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000LL + t.tv_nsec;
}

static const char *arg(int argc, char **argv, const char *name, const char *def) {
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], name) == 0) {
            return argv[i + 1];
        }
    }
    return def;
}

static void buffers(int fd) {
    int sz = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
}

/* Points every message of a batch at its buffer, for a receive of up to MAXSIZE bytes. */
static void arm(struct mmsghdr *msgs, struct iovec *iov, char (*bufs)[MAXSIZE], struct sockaddr_in *from) {
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = bufs[i];
        iov[i].iov_len = MAXSIZE;
        memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        if (from) {
            msgs[i].msg_hdr.msg_name = &from[i];
            msgs[i].msg_hdr.msg_namelen = sizeof from[i];
        }
    }
}

static int echo(int port, int seconds) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    buffers(fd);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = INADDR_ANY};
    if (bind(fd, (struct sockaddr *) &a, sizeof a) != 0) {
        perror("bind");
        return 1;
    }
    alarm(seconds); /* never outlives a run for long */
    printf("echo listening on 0.0.0.0:%d\n", port);
    fflush(stdout);
    static char bufs[BATCH][MAXSIZE];
    struct sockaddr_in from[BATCH];
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    for (;;) {
        arm(msgs, iov, bufs, from);
        int n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
        if (n <= 0) {
            continue;
        }
        for (int i = 0; i < n; i++) {
            iov[i].iov_len = msgs[i].msg_len;
        }
        int off = 0;
        while (off < n) {
            int s = sendmmsg(fd, msgs + off, n - off, 0);
            if (s <= 0) {
                break; /* a full socket loses them, as the path would */
            }
            off += s;
        }
    }
}

struct probe {
    int fd;
    int count;
    int size;
    volatile int sending;
    volatile int stop;
    volatile int64_t last_reply;
    int64_t start;
    long received, corrupt, duplicates;
    int64_t max_gap;
    int64_t first_reply;
    uint8_t *seen;
    int64_t *rtt;
};

static void *receiver(void *p_) {
    struct probe *p = p_;
    static char bufs[BATCH][MAXSIZE];
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    for (;;) {
        arm(msgs, iov, bufs, NULL);
        int n = recvmmsg(p->fd, msgs, BATCH, MSG_WAITFORONE, NULL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR || errno == ECONNREFUSED) {
                if (!p->sending && p->received >= p->count) {
                    return NULL;
                }
                continue;
            }
            return NULL;
        }
        if (p->stop) {
            return NULL; /* shut down: what recvmmsg returns now is not a reply */
        }
        int64_t now = now_ns();
        for (int i = 0; i < n; i++) {
            if (p->first_reply == 0) {
                p->first_reply = now;
            } else if (now - p->last_reply > p->max_gap) {
                p->max_gap = now - p->last_reply;
            }
            p->last_reply = now;
            char *b = bufs[i];
            uint32_t magic, seq;
            int64_t sent;
            memcpy(&magic, b, 4);
            memcpy(&seq, b + 8, 4);
            memcpy(&sent, b + 12, 8);
            if ((int) msgs[i].msg_len != p->size || magic != MAGIC || seq >= (uint32_t) p->count) {
                p->corrupt++;
            } else if (p->seen[seq]) {
                p->duplicates++;
            } else {
                p->seen[seq] = 1;
                p->rtt[p->received++] = now - sent;
            }
        }
    }
}

static int cmp64(const void *a, const void *b) {
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

static double pct(int64_t *sorted, long n, double q) {
    if (n == 0) {
        return 0;
    }
    long i = (long) (q * (n - 1));
    return sorted[i] / 1e3;
}

static int probe(const char *target, int count, int size, int rate, int wait_ms) {
    char host[64];
    snprintf(host, sizeof host, "%s", target);
    char *colon = strrchr(host, ':');
    if (!colon) {
        fprintf(stderr, "--target ip:port\n");
        return 2;
    }
    *colon = 0;
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(atoi(colon + 1))};
    inet_pton(AF_INET, host, &to.sin_addr);
    if (size < 20) {
        size = 20;
    }
    struct probe p = {0};
    p.fd = socket(AF_INET, SOCK_DGRAM, 0);
    buffers(p.fd);
    struct timeval tv = {.tv_sec = 0, .tv_usec = 100000};
    setsockopt(p.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(p.fd, (struct sockaddr *) &to, sizeof to) != 0) {
        perror("connect");
        return 1;
    }
    p.count = count;
    p.size = size;
    p.seen = calloc(count, 1);
    p.rtt = calloc(count, sizeof(int64_t));
    p.sending = 1;
    pthread_t rx;
    pthread_create(&rx, NULL, receiver, &p);
    static char bufs[BATCH][MAXSIZE];
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BATCH; i++) {
        memset(bufs[i], 0x5a, size);
        iov[i].iov_base = bufs[i];
        iov[i].iov_len = size;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int64_t gap = 1000000000LL / (rate > 0 ? rate : 1);
    p.start = now_ns();
    long sent = 0;
    int seq = 0;
    while (seq < count) {
        int64_t due = p.start + (int64_t) seq * gap;
        int64_t now = now_ns();
        if (now < due) {
            /* sleep, never spin: on 2 cores a spinning probe takes a core from what it measures */
            struct timespec ts = {.tv_sec = (due - now) / 1000000000LL, .tv_nsec = (due - now) % 1000000000LL};
            nanosleep(&ts, NULL);
            now = now_ns();
        }
        int n = 0;
        while (n < BATCH && seq + n < count && p.start + (int64_t) (seq + n) * gap <= now) {
            uint32_t magic = MAGIC, s = seq + n, flow = 0;
            memcpy(bufs[n], &magic, 4);
            memcpy(bufs[n] + 4, &flow, 4);
            memcpy(bufs[n] + 8, &s, 4);
            memcpy(bufs[n] + 12, &now, 8);
            n++;
        }
        if (n == 0) {
            continue;
        }
        int s = sendmmsg(p.fd, msgs, n, 0);
        if (s > 0) {
            sent += s;
        }
        seq += n; /* what a full socket refused is lost, as on the path */
    }
    p.last_reply = now_ns();
    p.sending = 0;
    while (p.received < sent && now_ns() - p.last_reply < (int64_t) wait_ms * 1000000LL) {
        usleep(10000);
    }
    p.stop = 1;
    shutdown(p.fd, SHUT_RDWR);
    pthread_cancel(rx);
    pthread_join(rx, NULL);
    qsort(p.rtt, p.received, sizeof(int64_t), cmp64);
    int64_t end = p.last_reply > p.start ? p.last_reply : p.start + 1;
    double secs = (end - p.start) / 1e9;
    printf("{\"sent\":%ld,\"received\":%ld,\"corrupt\":%ld,\"misrouted\":0,\"duplicates\":%ld,\"mbps\":%.3f,"
           "\"p50Micros\":%.1f,\"p99Micros\":%.1f,\"maxGapMillis\":%.1f}\n",
           sent, p.received, p.corrupt, p.duplicates, p.received * (double) size * 8 / secs / 1e6, pct(p.rtt, p.received, 0.50),
           pct(p.rtt, p.received, 0.99), p.max_gap / 1e6);
    return 0;
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        fprintf(stderr, "udpblast echo --port P [--seconds S] | probe --target IP:PORT --count N --size B --rate R [--wait-ms W]\n");
        return 2;
    }
    if (strcmp(argv[1], "echo") == 0) {
        return echo(atoi(arg(argc, argv, "--port", "9999")), atoi(arg(argc, argv, "--seconds", "600")));
    }
    return probe(arg(argc, argv, "--target", "127.0.0.1:9999"), atoi(arg(argc, argv, "--count", "10000")),
                 atoi(arg(argc, argv, "--size", "1200")), atoi(arg(argc, argv, "--rate", "20000")),
                 atoi(arg(argc, argv, "--wait-ms", "500")));
}
