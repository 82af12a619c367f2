/* SPDX-License-Identifier: BSD-3-Clause */
/* Which device an ethdev port attaches: port-add's arguments checked and rewritten (port_ethdev.h). */
/* rte_devargs_reset() is experimental in 22.11; it frees what rte_devargs_parse() took. */
#define ALLOW_EXPERIMENTAL_API 1
#include "port_ethdev.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_pci.h>

#define TAP_DRIVER "net_tap"

/* A name the kernel takes for an interface and that cannot break devargs. */
static int check_ifname(const char *what, const char *name, char *err, size_t errlen)
{
	size_t n = strlen(name);

	if (n == 0 || n >= IFNAMSIZ) {
		snprintf(err, errlen, "%s: interface name '%s' is not 1..%d characters", what,
			 name, IFNAMSIZ - 1);
		return -ENAMETOOLONG;
	}
	if (!strcmp(name, ".") || !strcmp(name, "..") ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") != n) {
		snprintf(err, errlen, "%s: interface name '%s' is not made of [A-Za-z0-9_.-]",
			 what, name);
		return -EINVAL;
	}
	return 0;
}

/* net_tap creates the interface: it must not exist yet. */
static int check_new_ifname(const char *what, const char *name, char *err, size_t errlen)
{
	int rc = check_ifname(what, name, err, errlen);

	if (!rc && if_nametoindex(name)) {
		snprintf(err, errlen, "%s: interface '%s' exists", what, name);
		return -EEXIST;
	}
	return rc;
}

int vsw_ethdev_target_tap(const char *name, uint32_t port_no, struct vsw_ethdev_target *t,
			  char *err, size_t errlen)
{
	int rc = check_new_ifname("tap", name, err, errlen);

	if (rc)
		return rc;
	memset(t, 0, sizeof(*t));
	snprintf(t->bus, sizeof(t->bus), "vdev");
	snprintf(t->device, sizeof(t->device), TAP_DRIVER "_vsw%u", port_no);
	snprintf(t->devargs, sizeof(t->devargs), "%s,iface=%s", t->device, name);
	snprintf(t->ifname, sizeof(t->ifname), "%s", name);
	return 0;
}

/* The value of `key` in "k1=v1,k2=v2" (empty when absent). */
static void kv_get(const char *args, const char *key, char *val, size_t len)
{
	size_t klen = strlen(key);

	val[0] = '\0';
	for (const char *p = args; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			const char *v = p + klen + 1;
			size_t n = strcspn(v, ",");
			snprintf(val, len, "%.*s", (int)(n < len ? n : len - 1), v);
			return;
		}
	}
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* A virtual device: its own instance name, and what its driver needs of the host. */
static int target_vdev(const char *name, const char *args, uint32_t port_no,
		       struct vsw_ethdev_target *t, char *err, size_t errlen)
{
	char iface[64];
	int n = snprintf(t->device, sizeof(t->device), "%s_vsw%u", name, port_no);

	if (n < 0 || (size_t)n >= sizeof(t->device)) {
		snprintf(err, errlen, "dpdk: device name '%s' is too long", name);
		return -ENAMETOOLONG;
	}
	kv_get(args, "iface", iface, sizeof(iface));
	if (has_prefix(name, "net_af_packet") || has_prefix(name, "eth_af_packet")) {
		if (!iface[0]) {
			snprintf(err, errlen, "dpdk: %s needs iface=INTERFACE", name);
			return -EINVAL;
		}
		int rc = check_ifname("dpdk", iface, err, errlen);
		if (rc)
			return rc;
		if (!if_nametoindex(iface)) {
			snprintf(err, errlen, "dpdk: no interface '%s'", iface);
			return -ENODEV;
		}
	} else if (has_prefix(name, TAP_DRIVER) && iface[0]) {
		int rc = check_new_ifname("dpdk", iface, err, errlen);
		if (rc)
			return rc;
	}
	snprintf(t->ifname, sizeof(t->ifname), "%s", iface);
	return 0;
}

int vsw_ethdev_target_dpdk(const char *devargs, uint32_t port_no,
			   struct vsw_ethdev_target *t, char *err, size_t errlen)
{
	struct rte_devargs da;
	const char *args;
	int rc = 0, n;

	memset(t, 0, sizeof(*t));
	memset(&da, 0, sizeof(da));
	if (!devargs[0] || strchr(devargs, ' ') || rte_devargs_parse(&da, devargs) || !da.bus) {
		snprintf(err, errlen,
			 "dpdk: '%s' is neither a PCI address nor a DPDK virtual device "
			 "(e.g. net_af_packet,iface=eth1)",
			 devargs);
		rte_devargs_reset(&da);
		return -EINVAL;
	}
	snprintf(t->bus, sizeof(t->bus), "%s", rte_bus_name(da.bus));
	args = da.args ? da.args : "";
	if (!strcmp(t->bus, "pci")) {
		struct rte_pci_addr addr;

		if (!rte_eal_has_pci()) {
			snprintf(err, errlen,
				 "dpdk: %s: PCI is off (vsw-dataplane runs with --no-pci); start "
				 "it with EAL arguments that allow the NIC, e.g. -- -a %s",
				 da.name, da.name);
			rc = -EOPNOTSUPP;
		} else if (rte_pci_addr_parse(da.name, &addr)) {
			snprintf(err, errlen, "dpdk: '%s' is not a PCI address", da.name);
			rc = -EINVAL;
		} else {
			rte_pci_device_name(&addr, t->device, sizeof(t->device));
		}
	} else if (!strcmp(t->bus, "vdev")) {
		rc = target_vdev(da.name, args, port_no, t, err, errlen);
	} else {
		snprintf(t->device, sizeof(t->device), "%s", da.name);
	}
	if (!rc) {
		n = snprintf(t->devargs, sizeof(t->devargs), "%s%s%s", t->device, *args ? "," : "",
			     args);
		if (n < 0 || (size_t)n >= sizeof(t->devargs)) {
			snprintf(err, errlen, "dpdk: devargs too long");
			rc = -ENAMETOOLONG;
		}
	}
	rte_devargs_reset(&da);
	return rc;
}
