/* SPDX-License-Identifier: BSD-3-Clause */
/* The configuration model: ports, numbers, names. Flows: config_flow.c. See config.h. */
#include "config.h"
#include "errtext.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Words the flow syntax gives a meaning of its own, as a port or an action. */
static const char *const reserved_names[] = {
	"flood", "drop", "in_port", "normal", "local", "all", "controller", "any", "none",
};

static const char *const port_types[] = { "vhost-user", "tap", "dpdk" };
static const char *const port_modes[] = { "server", "client" };

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void vsw_config_init(struct vsw_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
}

void vsw_config_free(struct vsw_config *cfg)
{
	if (!cfg->flows_borrowed) {
		for (size_t i = 0; i < cfg->n_flows; i++)
			vsw_flow_rec_free(&cfg->flows[i]);
		free(cfg->flows);
		vsw_flowidx_free(&cfg->index);
	}
	free(cfg->ports);
	free(cfg->numbers);
	free(cfg->tenants);
	free(cfg->tenant_numbers);
	free(cfg->vteps);
	free(cfg->acls);
	free(cfg->mirrors);
	memset(cfg, 0, sizeof(*cfg));
}

int vsw_config_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(*arr, ncap * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int vsw_config_reserve(struct vsw_config *cfg)
{
	if (vsw_config_grow((void **)&cfg->ports, &cfg->cap_ports, cfg->n_ports, sizeof(*cfg->ports)) ||
	    vsw_config_grow((void **)&cfg->numbers, &cfg->cap_numbers, cfg->n_numbers,
		 sizeof(*cfg->numbers)))
		return -ENOMEM;
	return vsw_config_reserve_flows(cfg, 1);
}

/* ---- ports ---- */

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/*
 * 1..15 characters of [A-Za-z0-9_.-], not all digits (that would read as a
 * port number in a flow) and not a reserved word in any case (the flow syntax
 * would read it as the word).
 */
int vsw_port_name_check(const char *name, char *err, size_t errlen)
{
	size_t len = strlen(name);
	bool digits = true;

	if (len == 0)
		return vsw_fail(err, errlen, "port name must not be empty");
	if (len > VSW_PORT_NAME_MAX)
		return vsw_fail(err, errlen, "port name '%.64s%s' is too long (at most %d characters)",
				name, len > 64 ? "..." : "", VSW_PORT_NAME_MAX);
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return vsw_fail(err, errlen,
					"port name '%s': only letters, digits, '_', '.' and '-' are allowed",
					name);
		if (c < '0' || c > '9')
			digits = false;
	}
	if (digits)
		return vsw_fail(err, errlen, "port name '%s' must not be all digits (that is a port number)",
				name);
	for (size_t i = 0; i < ARRAY_SIZE(reserved_names); i++)
		if (strcasecmp(name, reserved_names[i]) == 0)
			return vsw_fail(err, errlen, "port name '%s' is reserved", name);
	return 0;
}

bool vsw_port_cfg_equal(const struct vsw_port_cfg *a, const struct vsw_port_cfg *b)
{
	return strcmp(a->name, b->name) == 0 && a->port_no == b->port_no &&
	       strcmp(a->type, b->type) == 0 && strcmp(a->mode, b->mode) == 0 &&
	       strcmp(a->path, b->path) == 0 && strcmp(a->devargs, b->devargs) == 0;
}

struct vsw_port_cfg *vsw_config_find_port(const struct vsw_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_ports; i++)
		if (strcmp(cfg->ports[i].name, name) == 0)
			return &cfg->ports[i];
	return NULL;
}

/* The port with this socket path (vhost-user) or devargs (dpdk); "" is nobody's. */
static const struct vsw_port_cfg *find_path(const struct vsw_config *cfg, const char *path)
{
	for (size_t i = 0; path[0] && i < cfg->n_ports; i++)
		if (strcmp(cfg->ports[i].path, path) == 0)
			return &cfg->ports[i];
	return NULL;
}

static const struct vsw_port_cfg *find_devargs(const struct vsw_config *cfg, const char *devargs)
{
	for (size_t i = 0; devargs[0] && i < cfg->n_ports; i++)
		if (strcmp(cfg->ports[i].devargs, devargs) == 0)
			return &cfg->ports[i];
	return NULL;
}

uint32_t vsw_config_number_of(const struct vsw_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_numbers; i++)
		if (strcmp(cfg->numbers[i].name, name) == 0)
			return cfg->numbers[i].port_no;
	return 0;
}

const char *vsw_config_name_of(const struct vsw_config *cfg, uint32_t port_no)
{
	for (size_t i = 0; i < cfg->n_numbers; i++)
		if (cfg->numbers[i].port_no == port_no)
			return cfg->numbers[i].name;
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The name's number, or the lowest one never given to any name. */
static int number_for(const struct vsw_config *cfg, const char *name, uint32_t *port_no)
{
	uint32_t *used, next = 1;

	*port_no = vsw_config_number_of(cfg, name);
	if (*port_no)
		return 0;
	if (cfg->n_numbers == 0) {
		*port_no = 1;
		return 0;
	}
	used = malloc(cfg->n_numbers * sizeof(*used));
	if (!used)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->n_numbers; i++)
		used[i] = cfg->numbers[i].port_no;
	qsort(used, cfg->n_numbers, sizeof(*used), cmp_u32);
	for (size_t i = 0; i < cfg->n_numbers && used[i] == next; i++)
		next++;
	free(used);
	if (next > VSW_PORT_MAX)
		return -ENOSPC;
	*port_no = next;
	return 0;
}

/* Type, mode, path and devargs of a port whose name is already checked. */
static int check_port_attrs(const struct vsw_port_cfg *p, char *err, size_t errlen)
{
	if (!in_list(p->type, port_types, ARRAY_SIZE(port_types)))
		return vsw_fail(err, errlen, "unknown port type '%s' (known: vhost-user, tap, dpdk)",
				p->type);
	if (strcmp(p->type, "vhost-user") != 0) {
		if (p->mode[0] || p->path[0])
			return vsw_fail(err, errlen, "port '%s': a %s port takes no mode or socket path",
					p->name, p->type);
		if (strcmp(p->type, "dpdk") == 0 && !p->devargs[0])
			return vsw_fail(err, errlen,
					"port '%s': a dpdk port needs devargs (a PCI address, or a vdev such as net_af_packet,iface=eth1)",
					p->name);
		if (strcmp(p->type, "tap") == 0 && p->devargs[0])
			return vsw_fail(err, errlen, "port '%s': a tap port takes no devargs", p->name);
		/* A tap port's name is its kernel interface's: "." and ".." cannot be. */
		if (strcmp(p->type, "tap") == 0 && strspn(p->name, ".") == strlen(p->name))
			return vsw_fail(err, errlen, "port name '%s' cannot name a kernel interface",
					p->name);
		return 0;
	}
	if (p->devargs[0])
		return vsw_fail(err, errlen, "port '%s': a vhost-user port takes no devargs", p->name);
	if (!in_list(p->mode, port_modes, ARRAY_SIZE(port_modes)))
		return vsw_fail(err, errlen, "unknown mode '%s' (server or client)", p->mode);
	if (p->path[0] != '/')
		return vsw_fail(err, errlen, "socket path '%s' is not absolute", p->path);
	return 0;
}

/* Copy a string argument into a fixed field, refusing what does not fit. */
static int set_field(char *dst, size_t size, const char *src, const char *what, char *err,
		     size_t errlen)
{
	size_t len = strlen(src);

	if (len >= size)
		return vsw_fail(err, errlen, "%s '%.64s%s' is too long (at most %zu bytes)", what, src,
				len > 64 ? "..." : "", size - 1);
	memcpy(dst, src, len + 1);
	return 0;
}

int vsw_config_new_port(const struct vsw_config *cfg, const char *run_dir, const char *name,
			const char *type, const char *mode, const char *path,
			const char *devargs, struct vsw_port_cfg *port, char *err,
			size_t errlen)
{
	const struct vsw_port_cfg *other;
	char defpath[VSW_PORT_PATH_MAX + 64];
	int rc;

	memset(port, 0, sizeof(*port));
	rc = vsw_port_name_check(name, err, errlen);
	if (rc)
		return rc;
	memcpy(port->name, name, strlen(name) + 1);
	if (vsw_config_find_port(cfg, name))
		return vsw_fail(err, errlen, "port '%s' already exists", name);
	rc = set_field(port->type, sizeof(port->type), type, "port type", err, errlen);
	if (rc)
		return rc;
	if (devargs) {
		rc = set_field(port->devargs, sizeof(port->devargs), devargs, "devargs", err,
			       errlen);
		if (rc)
			return rc;
	}
	if (strcmp(type, "vhost-user") != 0) {
		if (mode)
			rc = set_field(port->mode, sizeof(port->mode), mode, "mode", err, errlen);
		if (!rc && path)
			rc = set_field(port->path, sizeof(port->path), path, "socket path", err,
				       errlen);
		if (!rc)
			rc = check_port_attrs(port, err, errlen);
		if (rc)
			return rc;
		other = find_devargs(cfg, port->devargs);
		if (other)
			return vsw_fail(err, errlen, "devargs '%s' are already used by port '%s'",
					port->devargs, other->name);
		goto number;
	}
	rc = set_field(port->mode, sizeof(port->mode), mode ? mode : "server", "mode", err,
		       errlen);
	if (rc)
		return rc;
	if (!path || !path[0]) {
		if (strcmp(port->mode, "client") == 0)
			return vsw_fail(err, errlen, "port '%s': client mode needs a socket path", name);
		snprintf(defpath, sizeof(defpath), "%s/%s.sock", run_dir, name);
		path = defpath;
	}
	rc = set_field(port->path, sizeof(port->path), path, "socket path", err, errlen);
	if (rc)
		return rc;
	rc = check_port_attrs(port, err, errlen);
	if (rc)
		return rc;
	other = find_path(cfg, port->path);
	if (other)
		return vsw_fail(err, errlen, "socket path %s is already used by port '%s'", port->path,
				other->name);
number:
	rc = number_for(cfg, name, &port->port_no);
	if (rc == -ENOSPC)
		return vsw_fail(err, errlen, "no port number left (all of 1..%u have been used)",
				VSW_PORT_MAX);
	if (rc)
		return vsw_fail(err, errlen, "out of memory");
	return 0;
}

static int add_number(struct vsw_config *cfg, const char *name, uint32_t port_no)
{
	struct vsw_port_number *n;

	if (vsw_config_grow((void **)&cfg->numbers, &cfg->cap_numbers, cfg->n_numbers,
		 sizeof(*cfg->numbers)))
		return -ENOMEM;
	n = &cfg->numbers[cfg->n_numbers++];
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->port_no = port_no;
	return 0;
}

int vsw_config_add_port(struct vsw_config *cfg, const struct vsw_port_cfg *port)
{
	if (vsw_config_grow((void **)&cfg->ports, &cfg->cap_ports, cfg->n_ports, sizeof(*cfg->ports)))
		return -ENOMEM;
	if (!vsw_config_number_of(cfg, port->name) && add_number(cfg, port->name, port->port_no))
		return -ENOMEM;
	cfg->ports[cfg->n_ports++] = *port;
	return 0;
}

int vsw_config_del_port(struct vsw_config *cfg, const char *name)
{
	struct vsw_port_cfg *p = vsw_config_find_port(cfg, name);

	if (!p)
		return -ENOENT;
	size_t i = (size_t)(p - cfg->ports);
	memmove(p, p + 1, (cfg->n_ports - i - 1) * sizeof(*p));
	cfg->n_ports--;
	return 0;
}

/* ---- loading ---- */

int vsw_config_load_number(struct vsw_config *cfg, const char *name, int64_t port_no,
			   char *err, size_t errlen)
{
	char why[256];
	const char *other;

	if (vsw_port_name_check(name, why, sizeof(why)))
		return vsw_fail(err, errlen, "%s", why);
	if (port_no < 1 || port_no > VSW_PORT_MAX)
		return vsw_fail(err, errlen, "port number %" PRId64 " out of range 1..%u", port_no,
				VSW_PORT_MAX);
	if (vsw_config_number_of(cfg, name))
		return vsw_fail(err, errlen, "name '%s' numbered twice", name);
	other = vsw_config_name_of(cfg, (uint32_t)port_no);
	if (other)
		return vsw_fail(err, errlen, "port number %" PRId64 " given to both '%s' and '%s'",
				port_no, other, name);
	return add_number(cfg, name, (uint32_t)port_no) ? vsw_fail(err, errlen, "out of memory") : 0;
}

int vsw_config_load_port(struct vsw_config *cfg, const struct vsw_port_cfg *port,
			 char *err, size_t errlen)
{
	const struct vsw_port_cfg *other;
	int rc;

	rc = vsw_port_name_check(port->name, err, errlen);
	if (rc)
		return rc;
	if (vsw_config_find_port(cfg, port->name))
		return vsw_fail(err, errlen, "port '%s' stored twice", port->name);
	if (!port->port_no || vsw_config_number_of(cfg, port->name) != port->port_no)
		return vsw_fail(err, errlen, "port '%s' has no port number", port->name);
	rc = check_port_attrs(port, err, errlen);
	if (rc)
		return rc;
	other = find_path(cfg, port->path);
	if (other)
		return vsw_fail(err, errlen, "socket path %s is used by both '%s' and '%s'", port->path,
				other->name, port->name);
	other = find_devargs(cfg, port->devargs);
	if (other)
		return vsw_fail(err, errlen, "devargs '%s' are used by both '%s' and '%s'", port->devargs,
				other->name, port->name);
	rc = vsw_config_load_attachment(cfg, port, err, errlen);
	if (rc)
		return rc;
	return vsw_config_add_port(cfg, port) ? vsw_fail(err, errlen, "out of memory") : 0;
}

/* ---- port names in flows ---- */

static int resolve_current(void *ctx, const char *name, uint32_t *port)
{
	const struct vsw_port_cfg *p = vsw_config_find_port(ctx, name);

	if (!p)
		return -ENOENT;
	*port = p->port_no;
	return 0;
}

static int resolve_ever(void *ctx, const char *name, uint32_t *port)
{
	*port = vsw_config_number_of(ctx, name);
	return *port ? 0 : -ENOENT;
}

static const char *name_of(void *ctx, uint32_t port)
{
	return vsw_config_name_of(ctx, port);
}

void vsw_config_names(const struct vsw_config *cfg, enum vsw_config_names which,
		      struct vsw_port_names *names)
{
	names->resolve = which == VSW_NAMES_CURRENT ? resolve_current : resolve_ever;
	names->name = name_of;
	names->ctx = (void *)cfg; /* the callbacks only read */
}
