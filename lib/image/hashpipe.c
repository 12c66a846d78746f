#include "../util/setup.h"

/*
 * A hashing thread for one layer: the reader copies what it reads and
 * what it inflates into fixed slots; the thread feeds them to the two
 * hashes. On a machine with a core to spare this takes both SHA-256
 * passes (about a third of a cold layer read) off the inflating thread.
 * The copy costs far less than the hash it moves.
 */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/digest.h"
#include "drydock/error.h"
#include "internal.h"

#define SLOT_BYTES (256u * 1024u)
#define NSLOTS 16u

struct slot {
	int which; /* 0 blob, 1 diff */
	size_t len;
	unsigned char *data;
};

struct hashpipe {
	struct drydock_hash *h[2];
	struct slot slots[NSLOTS];
	size_t head, tail, used; /* head: next to fill; tail: next to hash */
	int closing;
	pthread_mutex_t mu;
	pthread_cond_t cv_full, cv_free;
	pthread_t th;
	int started;
};

static void *hasher(void *arg)
{
	struct hashpipe *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct slot *s;

		while (!p->used && !p->closing)
			pthread_cond_wait(&p->cv_full, &p->mu);
		if (!p->used)
			break;
		s = &p->slots[p->tail];
		pthread_mutex_unlock(&p->mu);
		drydock_hash_update(p->h[s->which], s->data, s->len);
		pthread_mutex_lock(&p->mu);
		p->tail = (p->tail + 1) % NSLOTS;
		p->used--;
		pthread_cond_signal(&p->cv_free);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int hashpipe_new(struct hashpipe **out, struct drydock_hash *blob,
		 struct drydock_hash *diff)
{
	struct hashpipe *p = calloc(1, sizeof(*p));
	size_t i;

	*out = NULL;
	if (!p)
		return DRYDOCK_ENOMEM;
	p->h[0] = blob;
	p->h[1] = diff;
	for (i = 0; i < NSLOTS; i++) {
		p->slots[i].data = malloc(SLOT_BYTES);
		if (!p->slots[i].data)
			goto fail;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv_full, NULL);
	pthread_cond_init(&p->cv_free, NULL);
	if (pthread_create(&p->th, NULL, hasher, p) != 0) {
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv_full);
		pthread_cond_destroy(&p->cv_free);
		goto fail;
	}
	p->started = 1;
	*out = p;
	return 0;
fail:
	for (i = 0; i < NSLOTS; i++)
		free(p->slots[i].data);
	free(p);
	return DRYDOCK_ENOMEM;
}

void hashpipe_update(struct hashpipe *p, int which, const void *data, size_t n)
{
	const unsigned char *c = data;

	while (n) {
		size_t k = n < SLOT_BYTES ? n : SLOT_BYTES;
		struct slot *s;

		pthread_mutex_lock(&p->mu);
		while (p->used == NSLOTS)
			pthread_cond_wait(&p->cv_free, &p->mu);
		s = &p->slots[p->head];
		pthread_mutex_unlock(&p->mu);
		/* the slot is ours until it is counted in used */
		s->which = which;
		s->len = k;
		memcpy(s->data, c, k);
		pthread_mutex_lock(&p->mu);
		p->head = (p->head + 1) % NSLOTS;
		p->used++;
		pthread_cond_signal(&p->cv_full);
		pthread_mutex_unlock(&p->mu);
		c += k;
		n -= k;
	}
}

void hashpipe_free(struct hashpipe *p)
{
	size_t i;

	if (!p)
		return;
	if (p->started) {
		pthread_mutex_lock(&p->mu);
		p->closing = 1;
		pthread_cond_signal(&p->cv_full);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->th, NULL);
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv_full);
		pthread_cond_destroy(&p->cv_free);
	}
	for (i = 0; i < NSLOTS; i++)
		free(p->slots[i].data);
	free(p);
}
