/* formats/hash_pipe.c — SHA-256 on a second core (issue #12): the reading thread inflates
 * (and libarchive checks the CRC-32) into one buffer while this thread hashes the one
 * before. A few large buffers in a ring; the digest is read only after a drain. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "formats/hash_pipe.h"

#define PIPE_BUFS 4

struct accord_hash_pipe {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	gcry_md_hd_t md;
	unsigned char *buf[PIPE_BUFS];
	size_t len[PIPE_BUFS];
	unsigned long head, tail; /* submitted, hashed (head - tail <= PIPE_BUFS) */
	int stop;
};

static void *hasher(void *arg)
{
	accord_hash_pipe *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->tail == p->head && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->tail == p->head)
			break;
		unsigned i = (unsigned)(p->tail % PIPE_BUFS);
		pthread_mutex_unlock(&p->mu);
		gcry_md_write(p->md, p->buf[i], p->len[i]);
		pthread_mutex_lock(&p->mu);
		p->tail++;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

accord_hash_pipe *accord_hash_pipe_new(gcry_md_hd_t md)
{
	accord_hash_pipe *p = calloc(1, sizeof *p);
	int i;

	if (!p)
		return NULL;
	p->md = md;
	for (i = 0; i < PIPE_BUFS; i++)
		if (!(p->buf[i] = malloc(ACCORD_HASH_PIPE_BUF)))
			goto fail;
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&p->cv, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	if (pthread_create(&p->thread, NULL, hasher, p) != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	return p;
fail:
	for (i = 0; i < PIPE_BUFS; i++)
		free(p->buf[i]);
	free(p);
	return NULL;
}

unsigned char *accord_hash_pipe_buffer(accord_hash_pipe *p)
{
	unsigned char *b;

	pthread_mutex_lock(&p->mu);
	while (p->head - p->tail >= PIPE_BUFS)
		pthread_cond_wait(&p->cv, &p->mu);
	b = p->buf[p->head % PIPE_BUFS];
	pthread_mutex_unlock(&p->mu);
	return b;
}

void accord_hash_pipe_submit(accord_hash_pipe *p, size_t len)
{
	if (!len)
		return;
	pthread_mutex_lock(&p->mu);
	p->len[p->head % PIPE_BUFS] = len;
	p->head++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void accord_hash_pipe_drain(accord_hash_pipe *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->tail != p->head)
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void accord_hash_pipe_free(accord_hash_pipe *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	for (int i = 0; i < PIPE_BUFS; i++)
		free(p->buf[i]);
	free(p);
}
