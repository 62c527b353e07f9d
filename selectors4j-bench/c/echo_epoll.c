/*
 * echo_epoll: the C peer of the selectors4j echo servers. One thread (or N with SO_REUSEPORT, one
 * epoll each), level-triggered epoll, non-blocking sockets; a connection's unsent bytes wait in its
 * own buffer and the socket stops being read until they are gone (back-pressure). Out of descriptors,
 * it refuses connections with a spare descriptor kept for that instead of spinning.
 *
 * usage: echo_epoll PORT [THREADS]      binds 127.0.0.1; build: cc -O2 -pthread -o echo_epoll echo_epoll.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>

#define BUFFER 65536
#define EVENTS 512

struct conn {
    int fd;
    size_t pending; /* bytes in buf not yet sent back */
    size_t offset;  /* where they start */
    char buf[BUFFER];
};

static int port;

static int listener(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0
        || setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0
        || bind(fd, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(fd, 4096) < 0) {
        perror("echo_epoll: listen");
        exit(2);
    }
    return fd;
}

static void drop(int ep, struct conn *c) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

static void set_interest(int ep, struct conn *c, unsigned events) {
    struct epoll_event ev = {.events = events, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Sends what is pending; returns -1 when the connection is dead. */
static int flush(int ep, struct conn *c) {
    while (c->pending > 0) {
        ssize_t n = send(c->fd, c->buf + c->offset, c->pending, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) {
                set_interest(ep, c, EPOLLOUT);
                return 0;
            }
            return -1;
        }
        c->pending -= (size_t) n;
        c->offset += (size_t) n;
    }
    c->offset = 0;
    return 1;
}

static void *serve(void *arg) {
    (void) arg;
    int lfd = listener();
    int spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL}, events[EVENTS];
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    for (;;) {
        int ready = epoll_wait(ep, events, EVENTS, -1);
        if (ready < 0) {
            if (errno == EINTR) continue;
            perror("echo_epoll: epoll_wait");
            exit(2);
        }
        for (int i = 0; i < ready; i++) {
            struct conn *c = events[i].data.ptr;
            if (c == NULL) {
                for (int k = 0; k < 64; k++) {
                    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
                        /* Out of descriptors: refuse one pending connection with the spare, or the
                           listener would stay readable and the loop would spin. */
                        close(spare);
                        fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
                        if (fd >= 0) close(fd);
                        spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
                        break;
                    }
                    if (fd < 0) break; /* EAGAIN: nothing more to accept */
                    int one = 1;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn *nc = malloc(sizeof *nc);
                    if (nc == NULL) { close(fd); continue; }
                    nc->fd = fd;
                    nc->pending = nc->offset = 0;
                    struct epoll_event cev = {.events = EPOLLIN, .data.ptr = nc};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
                }
                continue;
            }
            if (c->pending > 0) { /* writable again */
                int state = flush(ep, c);
                if (state < 0) drop(ep, c);
                else if (state > 0) set_interest(ep, c, EPOLLIN);
                continue;
            }
            ssize_t n = recv(c->fd, c->buf, BUFFER, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
                drop(ep, c);
                continue;
            }
            if (n < 0) continue;
            c->pending = (size_t) n;
            c->offset = 0;
            if (flush(ep, c) < 0) drop(ep, c);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: echo_epoll PORT [THREADS]\n");
        return 1;
    }
    port = atoi(argv[1]);
    int threads = argc == 3 ? atoi(argv[2]) : 1;
    if (port <= 0 || port > 65535 || threads < 1) {
        fprintf(stderr, "usage: echo_epoll PORT [THREADS]\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    pthread_t tid;
    for (int t = 1; t < threads; t++) pthread_create(&tid, NULL, serve, NULL);
    printf("listening on port %d\n", port);
    fflush(stdout);
    serve(NULL);
    return 0;
}
