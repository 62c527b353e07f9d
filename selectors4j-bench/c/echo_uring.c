/*
 * echo_uring: the C io_uring peer of the selectors4j echo servers, on liburing. One thread (or N with
 * SO_REUSEPORT, one ring each), set up with SINGLE_ISSUER and DEFER_TASKRUN where the kernel has
 * them. Connections come from a multishot accept; each connection has one receive or one send in
 * flight at a time, into and out of its own buffer (a receive, then the send of what it got, then the
 * next receive); one io_uring_submit_and_wait per batch submits what the last batch prepared and waits
 * for the next completion. Out of descriptors, a spare descriptor refuses the pending connection.
 *
 * usage: echo_uring PORT [THREADS]      binds 127.0.0.1; build: cc -O2 -pthread -o echo_uring echo_uring.c -luring
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFFER 65536
#define ENTRIES 4096

enum { OP_ACCEPT = 1, OP_RECV = 2, OP_SEND = 3, OP_CLOSE = 4 };

struct conn {
    int fd;
    size_t pending; /* bytes in buf not yet sent back */
    size_t offset;  /* where they start */
    char buf[BUFFER];
};

static int port;

/* A connection's pointer with the operation in its low bits (the struct is 8-byte aligned). */
static uint64_t token(struct conn *c, int op) { return (uint64_t) (uintptr_t) c | (uint64_t) op; }

static int listener(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0
        || setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0
        || bind(fd, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(fd, 4096) < 0) {
        perror("echo_uring: listen");
        exit(2);
    }
    return fd;
}

/* The next submission entry; a full queue is submitted first. */
static struct io_uring_sqe *entry(struct io_uring *ring) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    while (sqe == NULL) {
        io_uring_submit(ring);
        sqe = io_uring_get_sqe(ring);
    }
    return sqe;
}

static void arm_accept(struct io_uring *ring, int lfd) {
    struct io_uring_sqe *sqe = entry(ring);
    io_uring_prep_multishot_accept(sqe, lfd, NULL, NULL, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, OP_ACCEPT);
}

static void arm_recv(struct io_uring *ring, struct conn *c) {
    struct io_uring_sqe *sqe = entry(ring);
    io_uring_prep_recv(sqe, c->fd, c->buf, BUFFER, 0);
    io_uring_sqe_set_data64(sqe, token(c, OP_RECV));
}

static void arm_send(struct io_uring *ring, struct conn *c) {
    struct io_uring_sqe *sqe = entry(ring);
    io_uring_prep_send(sqe, c->fd, c->buf + c->offset, c->pending, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, token(c, OP_SEND));
}

static void drop(struct io_uring *ring, struct conn *c) {
    struct io_uring_sqe *sqe = entry(ring);
    io_uring_prep_close(sqe, c->fd);
    io_uring_sqe_set_data64(sqe, OP_CLOSE);
    free(c); /* nothing of it is in flight: one operation at a time */
}

static struct io_uring *open_ring(void) {
    static __thread struct io_uring ring;
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SUBMIT_ALL
              | IORING_SETUP_CQSIZE;
    p.cq_entries = 4 * ENTRIES;
    int ret = io_uring_queue_init_params(ENTRIES, &ring, &p);
    if (ret == -EINVAL) { /* before Linux 6.1 */
        memset(&p, 0, sizeof p);
        ret = io_uring_queue_init_params(ENTRIES, &ring, &p);
    }
    if (ret < 0) {
        fprintf(stderr, "echo_uring: io_uring_setup: %s\n", strerror(-ret));
        exit(3);
    }
    return &ring;
}

static void *serve(void *arg) {
    int lfd = (int) (intptr_t) arg;
    struct io_uring *ring = open_ring(); /* on this thread: a single-issuer ring is its creator's */
    int spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
    arm_accept(ring, lfd);
    for (;;) {
        int ret = io_uring_submit_and_wait(ring, 1);
        if (ret < 0 && ret != -EINTR && ret != -ETIME && ret != -EBUSY) {
            fprintf(stderr, "echo_uring: io_uring_enter: %s\n", strerror(-ret));
            exit(2);
        }
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(ring, head, cqe) {
            seen++;
            uint64_t data = io_uring_cqe_get_data64(cqe);
            int op = (int) (data & 7);
            struct conn *c = (struct conn *) (uintptr_t) (data & ~(uint64_t) 7);
            int res = cqe->res;
            if (op == OP_ACCEPT) {
                if (res >= 0) {
                    int one = 1;
                    setsockopt(res, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn *nc = malloc(sizeof *nc);
                    if (nc == NULL) {
                        close(res);
                    } else {
                        nc->fd = res;
                        nc->pending = nc->offset = 0;
                        arm_recv(ring, nc);
                    }
                } else if (res == -EMFILE || res == -ENFILE) {
                    /* The pending connection would fail every accept: refuse it with the spare. */
                    close(spare);
                    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (fd >= 0) close(fd);
                    spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
                }
                if (!(cqe->flags & IORING_CQE_F_MORE)) arm_accept(ring, lfd);
            } else if (op == OP_RECV) {
                if (res <= 0) {
                    drop(ring, c); /* end of stream or an error */
                } else {
                    c->pending = (size_t) res;
                    c->offset = 0;
                    arm_send(ring, c);
                }
            } else if (op == OP_SEND) {
                if (res < 0) {
                    drop(ring, c);
                } else if ((size_t) res < c->pending) { /* partial: send the rest */
                    c->pending -= (size_t) res;
                    c->offset += (size_t) res;
                    arm_send(ring, c);
                } else {
                    arm_recv(ring, c);
                }
            }
        }
        io_uring_cq_advance(ring, seen);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: echo_uring PORT [THREADS]\n");
        return 1;
    }
    port = atoi(argv[1]);
    int threads = argc == 3 ? atoi(argv[2]) : 1;
    if (port <= 0 || port > 65535 || threads < 1) {
        fprintf(stderr, "usage: echo_uring PORT [THREADS]\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    pthread_t tid;
    int first = listener();
    for (int t = 1; t < threads; t++) pthread_create(&tid, NULL, serve, (void *) (intptr_t) listener());
    printf("listening on port %d\n", port);
    fflush(stdout);
    serve((void *) (intptr_t) first);
    return 0;
}
