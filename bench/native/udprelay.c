/*
 * udprelay: the floor of what any user-space UDP relay pair costs on this machine, for
 * bench/tunnel-bench.sh's "relay" row. It does what rsock's udp transport does to one flow with
 * nothing else: no frames, no authentication, no sessions, no Java; every system call batched
 * (recvmmsg/sendmmsg). Whatever rsock loses to it is rsock's own cost; what it loses to direct UDP
 * is the cost of two more hops through the kernel, which no relay avoids.
 *
 *   udprelay client LISTEN_PORT SERVER_IP SERVER_PORT   # app -> LISTEN_PORT -> server
 *   udprelay server LISTEN_PORT TARGET_IP TARGET_PORT   # client -> LISTEN_PORT -> target
 *
 * One flow: replies go to the last source seen on LISTEN_PORT. Two threads, one per direction.
 * Exits after 15 minutes whatever happens. Build: cc -O2 -pthread -o udprelay udprelay.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64
#define SLOT 65536

struct direction {
    int in, out;
    struct sockaddr_in *to;    /* where datagrams go when `out` is not connected */
    struct sockaddr_in *learn; /* where the source of what `in` reads is kept */
};

static void *pump(void *arg) {
    struct direction *d = arg;
    char (*bufs)[SLOT] = malloc((size_t) BATCH * SLOT);
    struct mmsghdr m[BATCH];
    struct iovec iov[BATCH];
    struct sockaddr_in from[BATCH];
    for (;;) {
        for (int i = 0; i < BATCH; i++) {
            iov[i].iov_base = bufs[i];
            iov[i].iov_len = SLOT;
            memset(&m[i].msg_hdr, 0, sizeof m[i].msg_hdr);
            m[i].msg_hdr.msg_iov = &iov[i];
            m[i].msg_hdr.msg_iovlen = 1;
            m[i].msg_hdr.msg_name = &from[i];
            m[i].msg_hdr.msg_namelen = sizeof from[i];
        }
        int n = recvmmsg(d->in, m, BATCH, MSG_WAITFORONE, NULL);
        if (n <= 0) {
            continue;
        }
        if (d->learn) {
            *d->learn = from[n - 1];
        }
        if (d->to && d->to->sin_port == 0) {
            continue; /* no app has spoken yet */
        }
        for (int i = 0; i < n; i++) {
            iov[i].iov_len = m[i].msg_len;
            m[i].msg_hdr.msg_name = d->to;
            m[i].msg_hdr.msg_namelen = d->to ? sizeof *d->to : 0;
        }
        for (int off = 0; off < n;) {
            int k = sendmmsg(d->out, m + off, n - off, 0);
            if (k <= 0) {
                break; /* a full buffer: drop the rest, as a relay does */
            }
            off += k;
        }
    }
    return NULL;
}

static int udp_socket(int port) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = INADDR_ANY};
    if (bind(fd, (struct sockaddr *) &a, sizeof a) != 0) {
        perror("bind");
        exit(1);
    }
    return fd;
}

int main(int argc, char **argv) {
    if (argc != 5 || (strcmp(argv[1], "client") != 0 && strcmp(argv[1], "server") != 0)) {
        fprintf(stderr, "usage: udprelay client|server LISTEN_PORT PEER_IP PEER_PORT\n");
        return 2;
    }
    struct sockaddr_in peer = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[4]))};
    if (inet_pton(AF_INET, argv[3], &peer.sin_addr) != 1) {
        fprintf(stderr, "udprelay: bad address %s\n", argv[3]);
        return 2;
    }
    int listening = udp_socket(atoi(argv[2]));
    int onward = udp_socket(0);
    if (connect(onward, (struct sockaddr *) &peer, sizeof peer) != 0) {
        perror("connect");
        return 1;
    }
    alarm(900); /* never outlives a run for long */
    static struct sockaddr_in source;
    struct direction up = {listening, onward, NULL, &source};
    struct direction down = {onward, listening, &source, NULL};
    pthread_t t;
    pthread_create(&t, NULL, pump, &up);
    printf("udprelay %s on %s\n", argv[1], argv[2]);
    fflush(stdout);
    pump(&down);
    return 0;
}
