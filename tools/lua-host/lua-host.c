/*
 * lua-host: Lua 5.3 with a heap cap, the stand-in for NodeMCU's Lua heap on a desktop.
 *
 *   lua-host [--cap BYTES] SCRIPT [ARGS...]
 *
 * Every allocation goes through one allocator that refuses memory above the cap (Lua then
 * raises "not enough memory", as on the board) and keeps the peak. The script gets the usual
 * `arg` table and a `host` table:
 *   host.used()  host.peak()  host.cap()   bytes now / highest so far / the cap (0 = none)
 *   host.reset_peak()                      peak := bytes now
 *   host.set_cap(bytes)                    a new cap (0 = none), e.g. heap-after-code + data cap
 *   host.exchange(ip, port, frame, ms)     one request over TCP (2-byte length framing is the
 *                                          caller's): connect, send, read one length-prefixed
 *                                          reply; returns the reply or nil, reason
 *   host.now_ms()                          wall clock, milliseconds
 *   host.readline()                        one line of stdin without its newline, or nil at EOF
 * On exit it prints "LUA_HOST_PEAK_BYTES n" to stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#define MAX_FRAME_BYTES 4096
#define MAX_LINE_BYTES 65536

typedef struct {
  size_t used;
  size_t peak;
  size_t cap;
} Heap;

static Heap heap = {0, 0, 0};

static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  Heap *h = (Heap *)ud;
  size_t old = ptr == NULL ? 0 : osize;
  if (nsize == 0) {
    free(ptr);
    h->used -= old;
    return NULL;
  }
  if (h->cap > 0 && nsize > old && h->used + (nsize - old) > h->cap) return NULL;
  void *p = realloc(ptr, nsize);
  if (p == NULL) return NULL;
  h->used = h->used - old + nsize;
  if (h->used > h->peak) h->peak = h->used;
  return p;
}

static int l_used(lua_State *L) { lua_pushinteger(L, (lua_Integer)heap.used); return 1; }
static int l_peak(lua_State *L) { lua_pushinteger(L, (lua_Integer)heap.peak); return 1; }
static int l_cap(lua_State *L) { lua_pushinteger(L, (lua_Integer)heap.cap); return 1; }
static int l_reset_peak(lua_State *L) { heap.peak = heap.used; (void)L; return 0; }
static int l_set_cap(lua_State *L) { heap.cap = (size_t)luaL_checkinteger(L, 1); return 0; }

static int l_now_ms(lua_State *L) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  lua_pushinteger(L, (lua_Integer)tv.tv_sec * 1000 + tv.tv_usec / 1000);
  return 1;
}

/* Waits until fd is readable/writable or ms pass; 1 ready, 0 timeout, -1 error. */
static int wait_fd(int fd, short ev, int ms) {
  struct pollfd p = {fd, ev, 0};
  int r = poll(&p, 1, ms);
  return r < 0 ? -1 : r;
}

static int read_full(int fd, char *buf, size_t n, int ms) {
  size_t got = 0;
  while (got < n) {
    if (wait_fd(fd, POLLIN, ms) <= 0) return -1;
    ssize_t k = recv(fd, buf + got, n - got, 0);
    if (k <= 0) return -1;
    got += (size_t)k;
  }
  return 0;
}

static int fail2(lua_State *L, int fd, const char *why) {
  if (fd >= 0) close(fd);
  lua_pushnil(L);
  lua_pushstring(L, why);
  return 2;
}

static int l_exchange(lua_State *L) {
  const char *ip = luaL_checkstring(L, 1);
  int port = (int)luaL_checkinteger(L, 2);
  size_t n = 0;
  const char *frame = luaL_checklstring(L, 3, &n);
  int ms = (int)luaL_optinteger(L, 4, 30000);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) return fail2(L, -1, "not an IPv4 address");
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return fail2(L, -1, "socket failed");
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) return fail2(L, fd, "connection refused");
  size_t sent = 0;
  while (sent < n) {
    ssize_t k = send(fd, frame + sent, n - sent, 0);
    if (k <= 0) return fail2(L, fd, "send failed");
    sent += (size_t)k;
  }
  char buf[2 + MAX_FRAME_BYTES];
  if (read_full(fd, buf, 2, ms) != 0) return fail2(L, fd, "no reply");
  size_t len = ((unsigned char)buf[0] << 8) | (unsigned char)buf[1];
  if (len > MAX_FRAME_BYTES) return fail2(L, fd, "reply too long");
  if (read_full(fd, buf + 2, len, ms) != 0) return fail2(L, fd, "reply cut short");
  close(fd);
  lua_pushlstring(L, buf, 2 + len);
  return 1;
}

static int l_readline(lua_State *L) {
  static char line[MAX_LINE_BYTES];
  if (fgets(line, sizeof line, stdin) == NULL) {
    lua_pushnil(L);
    return 1;
  }
  size_t n = strlen(line);
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
  lua_pushlstring(L, line, n);
  return 1;
}

static const luaL_Reg host_fns[] = {
  {"used", l_used}, {"peak", l_peak}, {"cap", l_cap}, {"reset_peak", l_reset_peak}, {"set_cap", l_set_cap},
  {"exchange", l_exchange}, {"now_ms", l_now_ms}, {"readline", l_readline}, {NULL, NULL}};

static int report(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  fprintf(stderr, "lua-host: %s\n", msg == NULL ? "(error object is not a string)" : msg);
  return 1;
}

int main(int argc, char **argv) {
  int i = 1;
  if (argc > 2 && strcmp(argv[1], "--cap") == 0) {
    heap.cap = (size_t)strtoull(argv[2], NULL, 10);
    i = 3;
  }
  if (i >= argc) {
    fprintf(stderr, "usage: lua-host [--cap BYTES] SCRIPT [ARGS...]\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  lua_State *L = lua_newstate(capped_alloc, &heap);
  if (L == NULL) {
    fprintf(stderr, "lua-host: cannot create a Lua state under the cap\n");
    return 1;
  }
  luaL_openlibs(L);
  luaL_newlib(L, host_fns);
  lua_setglobal(L, "host");
  lua_createtable(L, argc - i, 1);
  for (int k = i; k < argc; k++) {
    lua_pushstring(L, argv[k]);
    lua_rawseti(L, -2, k - i);
  }
  lua_setglobal(L, "arg");
  int rc = 0;
  if (luaL_loadfile(L, argv[i]) != LUA_OK || lua_pcall(L, 0, 0, 0) != LUA_OK) rc = report(L);
  fprintf(stderr, "LUA_HOST_PEAK_BYTES %zu\n", heap.peak);
  lua_close(L);
  return rc;
}
