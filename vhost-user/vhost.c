/* SPDX-License-Identifier: BSD-3-Clause */
/* vhost-user sockets over rte_vhost: see vhost.h for the threading rules. */
#include "vhost.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_log.h>
#include <rte_vhost.h>

/* The log module vsw.vhost (dataplane/log.h lists it for log-level). */
RTE_LOG_REGISTER(vsw_vhost_logtype, vsw.vhost, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, vsw_vhost_logtype, "vsw.vhost: " fmt "\n", ##__VA_ARGS__)

/* Virtqueue indexes within a queue pair, seen from the guest. */
#define GUEST_RXQ 0
#define GUEST_TXQ 1

struct vsw_vhost {
	char path[PATH_MAX];
	bool client;
	struct rte_rcu_qsbr *qs;
	_Atomic int vid; /* -1 while no device is ready */
	_Atomic uint16_t n_queues;
	/* Written by the event thread under registry_lock; atomic so that
	 * vsw_vhost_queue_pairs() reads them without it. */
	_Atomic uint64_t vring_ready; /* bit per vring */
	_Atomic uint16_t n_vrings; /* the ready device's virtqueues, 0 while down */
	struct vsw_vhost *next;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vsw_vhost *registry;

/* Caller holds registry_lock. */
static struct vsw_vhost *find_path(const char *path)
{
	for (struct vsw_vhost *vh = registry; vh; vh = vh->next)
		if (!strcmp(vh->path, path))
			return vh;
	return NULL;
}

static struct vsw_vhost *find_vid(int vid)
{
	char path[PATH_MAX];

	if (rte_vhost_get_ifname(vid, path, sizeof(path)))
		return NULL;
	return find_path(path);
}

/*
 * Queue pairs usable now: the leading pairs whose two vrings are both
 * enabled (a guest enables pairs 0..N-1), within the device's vrings, and
 * at least pair 0 (the device is ready only with it). Caller holds the lock.
 */
static uint16_t usable_pairs(const struct vsw_vhost *vh)
{
	uint16_t n = 0;

	while (n < VSW_VHOST_MAX_QUEUES && (n + 1) * 2 <= vh->n_vrings &&
	       ((vh->vring_ready >> (n * 2)) & 3) == 3)
		n++;
	return n ? n : 1;
}

/* rte_vhost event thread: a peer connected (no device yet). */
static int new_connection(int vid)
{
	pthread_mutex_lock(&registry_lock);
	struct vsw_vhost *vh = find_vid(vid);
	if (vh)
		vh->vring_ready = 0;
	pthread_mutex_unlock(&registry_lock);
	return 0;
}

/*
 * rte_vhost event thread: a vring became usable or stopped being so; may
 * come before new_device and while the device runs (a guest enabling more
 * queue pairs). PMDs see the new count on their next poll; a queue that
 * stopped is refused by rte_vhost itself meanwhile.
 */
static int vring_state_changed(int vid, uint16_t vring, int enable)
{
	pthread_mutex_lock(&registry_lock);
	struct vsw_vhost *vh = find_vid(vid);
	if (vh && vring < 64) {
		if (enable)
			vh->vring_ready |= 1ULL << vring;
		else
			vh->vring_ready &= ~(1ULL << vring);
		if (atomic_load_explicit(&vh->vid, memory_order_relaxed) == vid) {
			uint16_t nq = usable_pairs(vh);

			if (nq != atomic_load_explicit(&vh->n_queues, memory_order_relaxed))
				LOG(INFO, "%s: %u queue pairs", vh->path, nq);
			atomic_store_explicit(&vh->n_queues, nq, memory_order_relaxed);
		}
	}
	pthread_mutex_unlock(&registry_lock);
	return 0;
}

/* rte_vhost event thread. */
static int new_device(int vid)
{
	pthread_mutex_lock(&registry_lock);
	struct vsw_vhost *vh = find_vid(vid);
	if (vh) {
		vh->n_vrings = rte_vhost_get_vring_num(vid);
		/* PMDs poll: the guest need not kick us. */
		for (uint16_t i = 0; i < vh->n_vrings; i++)
			rte_vhost_enable_guest_notification(vid, i, 0);
		uint16_t nq = usable_pairs(vh);
		atomic_store_explicit(&vh->n_queues, nq, memory_order_relaxed);
		atomic_store_explicit(&vh->vid, vid, memory_order_release);
		LOG(INFO, "%s: peer ready (%u queue pairs)", vh->path, nq);
	}
	pthread_mutex_unlock(&registry_lock);
	return vh ? 0 : -1;
}

/* rte_vhost event thread. */
static void destroy_device(int vid)
{
	pthread_mutex_lock(&registry_lock);
	struct vsw_vhost *vh = find_vid(vid);
	if (vh && atomic_load(&vh->vid) == vid) {
		atomic_store_explicit(&vh->vid, -1, memory_order_release);
		atomic_store_explicit(&vh->n_queues, 0, memory_order_relaxed);
		vh->n_vrings = 0;
		/* No PMD may still be inside a burst on the old virtqueues. */
		rte_rcu_qsbr_synchronize(vh->qs, RTE_QSBR_THRID_INVALID);
		LOG(INFO, "%s: peer gone", vh->path);
	}
	pthread_mutex_unlock(&registry_lock);
}

static const struct rte_vhost_device_ops device_ops = {
	.new_device = new_device,
	.destroy_device = destroy_device,
	.vring_state_changed = vring_state_changed,
	.new_connection = new_connection,
};

/* Offloads we do not implement: the guest must hand us complete frames. */
static const uint64_t unsupported_features =
	(1ULL << VIRTIO_NET_F_HOST_TSO4) | (1ULL << VIRTIO_NET_F_HOST_TSO6) |
	(1ULL << VIRTIO_NET_F_CSUM) | (1ULL << VIRTIO_NET_F_GUEST_CSUM) |
	(1ULL << VIRTIO_NET_F_GUEST_TSO4) | (1ULL << VIRTIO_NET_F_GUEST_TSO6) |
	(1ULL << VIRTIO_NET_F_HOST_UFO) | (1ULL << VIRTIO_NET_F_GUEST_UFO) |
	(1ULL << VIRTIO_NET_F_HOST_ECN) | (1ULL << VIRTIO_NET_F_GUEST_ECN);

struct vsw_vhost *vsw_vhost_create(const char *path, bool client, struct rte_rcu_qsbr *qs)
{
	struct vsw_vhost *vh;
	int err;

	if (strlen(path) >= sizeof(vh->path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	vh = calloc(1, sizeof(*vh));
	if (!vh)
		return NULL;
	strcpy(vh->path, path);
	vh->client = client;
	vh->qs = qs;
	atomic_init(&vh->vid, -1);

	pthread_mutex_lock(&registry_lock);
	if (find_path(path)) {
		err = EEXIST;
		goto err_unlock;
	}
	if (!client)
		unlink(path); /* a stale socket from a previous run */
	if (rte_vhost_driver_register(path, client ? RTE_VHOST_USER_CLIENT : 0)) {
		err = EINVAL;
		goto err_unlock;
	}
	if (rte_vhost_driver_disable_features(path, unsupported_features) ||
	    rte_vhost_driver_callback_register(path, &device_ops)) {
		err = EINVAL;
		goto err_unregister;
	}
	vh->next = registry;
	registry = vh;
	pthread_mutex_unlock(&registry_lock);

	/* Outside the lock: a client may connect at once and call new_device. */
	if (rte_vhost_driver_start(path)) {
		vsw_vhost_destroy(vh);
		errno = EINVAL;
		return NULL;
	}
	return vh;

err_unregister:
	rte_vhost_driver_unregister(path);
err_unlock:
	pthread_mutex_unlock(&registry_lock);
	free(vh);
	errno = err;
	return NULL;
}

void vsw_vhost_destroy(struct vsw_vhost *vh)
{
	if (!vh)
		return;
	/*
	 * Unregister first, without the lock: it calls destroy_device for a
	 * connected peer, which takes the lock and waits for a grace period.
	 * (rte_vhost retries internally while its event thread holds the socket.)
	 */
	if (rte_vhost_driver_unregister(vh->path))
		LOG(WARNING, "%s: rte_vhost refused to unregister", vh->path);
	pthread_mutex_lock(&registry_lock);
	for (struct vsw_vhost **pp = &registry; *pp; pp = &(*pp)->next) {
		if (*pp == vh) {
			*pp = vh->next;
			break;
		}
	}
	pthread_mutex_unlock(&registry_lock);
	if (!vh->client)
		unlink(vh->path);
	free(vh);
}

bool vsw_vhost_is_up(const struct vsw_vhost *vh)
{
	return atomic_load_explicit(&vh->vid, memory_order_acquire) >= 0;
}

uint16_t vsw_vhost_n_queues(const struct vsw_vhost *vh)
{
	return atomic_load_explicit(&vh->n_queues, memory_order_relaxed);
}

uint16_t vsw_vhost_queue_pairs(const struct vsw_vhost *vh, uint64_t *enabled)
{
	uint64_t vrings = atomic_load_explicit(&vh->vring_ready, memory_order_relaxed);
	uint16_t n = atomic_load_explicit(&vh->n_vrings, memory_order_relaxed) / 2;

	*enabled = 0;
	if (!vsw_vhost_is_up(vh))
		return 0;
	for (unsigned int q = 0; q < n && q < 32; q++)
		if (((vrings >> (q * 2)) & 3) == 3)
			*enabled |= 1ULL << q;
	return n;
}

uint16_t vsw_vhost_rx_burst(struct vsw_vhost *vh, uint16_t q, struct rte_mempool *mp,
			    struct rte_mbuf **pkts, uint16_t n)
{
	int vid = atomic_load_explicit(&vh->vid, memory_order_acquire);

	if (vid < 0)
		return 0;
	return rte_vhost_dequeue_burst(vid, q * 2 + GUEST_TXQ, mp, pkts, n);
}

uint16_t vsw_vhost_tx_burst(struct vsw_vhost *vh, uint16_t q, struct rte_mbuf **pkts,
			    uint16_t n)
{
	int vid = atomic_load_explicit(&vh->vid, memory_order_acquire);

	if (vid < 0)
		return 0;
	return rte_vhost_enqueue_burst(vid, q * 2 + GUEST_RXQ, pkts, n);
}
