/*
 * Self-tests of the virtio-blk driver on a real (emulated) disk, run only
 * when one is attached (`./fomos run --disk FILE --cmdline selftest`);
 * without a disk they pass with the log line "blk: no disk, skipped".
 *
 * Self-tests run before virtio_probe_all(), so the tests probe the disk
 * themselves (probing twice does nothing) and use blk_sync, the
 * before-the-loop interface, plus several blk_submit requests in flight.
 *
 *   - sector 0 reads back with the boot signature 0x55 0xAA at 510 (the
 *     runner formats new disks FAT32);
 *   - a pattern written to the last sector, flushed, reads back equal; the
 *     e2e test (tests/e2e/test_blk.py) then finds it in the image file;
 *   - four reads in flight at once all complete with the same data;
 *   - bad requests (past the end, a buffer outside the direct map) are
 *     refused before they reach the device.
 */
#include <stdint.h>

#include "drivers/pci/pci.h"
#include "drivers/virtio/blk.h"
#include "drivers/virtio/transport.h"
#include "kernel/log.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "tests/kernel/selftest.h"

#define VIRTIO_BLK_DEVICE (VIRTIO_PCI_MODERN_BASE + 2)
#define PATTERN_TAG	  "FOMOS-BLK-SELFTEST-PATTERN-1"
#define IN_FLIGHT	  4

static struct blk_device *disk(const char *test)
{
	struct pci_device *pci = pci_find(VIRTIO_PCI_VENDOR, VIRTIO_BLK_DEVICE, NULL);
	if (pci != NULL) {
		virtio_blk_probe(pci);
	}
	struct blk_device *d = blk_first();
	if (d == NULL) {
		log_info("selftest", "%s: blk: no disk, skipped", test);
	}
	return d;
}

/* One frame of direct-map memory for data buffers. */
static uint8_t *frame_buffer(void)
{
	uint64_t phys = pmm_alloc_frame();
	return phys == PMM_NO_MEMORY ? NULL : phys_to_virt(phys);
}

static void fill_pattern(uint8_t *p)
{
	for (unsigned i = 0; i < BLK_SECTOR_SIZE; i++) {
		p[i] = (uint8_t)(i * 31 + 7);
	}
	memcpy(p, PATTERN_TAG, sizeof(PATTERN_TAG));
}

KTEST(blk_reads_boot_signature)
{
	struct blk_device *d = disk("blk_reads_boot_signature");
	if (d == NULL) {
		return NULL;
	}
	uint8_t *buf = frame_buffer();
	KEXPECT(buf != NULL);
	memset(buf, 0, BLK_SECTOR_SIZE);
	KEXPECT(blk_sync(d, BLK_READ, 0, 1, buf) == BLK_OK);
	KEXPECT(buf[510] == 0x55 && buf[511] == 0xaa);
	pmm_free(virt_to_phys_direct(buf), 0);
	return NULL;
}

KTEST(blk_write_flush_read_back)
{
	struct blk_device *d = disk("blk_write_flush_read_back");
	if (d == NULL) {
		return NULL;
	}
	uint8_t *buf = frame_buffer();
	KEXPECT(buf != NULL);
	uint64_t last = blk_capacity(d) - 1;
	fill_pattern(buf);
	KEXPECT(blk_sync(d, BLK_WRITE, last, 1, buf) == BLK_OK);
	KEXPECT(blk_sync(d, BLK_FLUSH, 0, 0, NULL) == BLK_OK);
	memset(buf, 0, BLK_SECTOR_SIZE);
	KEXPECT(blk_sync(d, BLK_READ, last, 1, buf) == BLK_OK);
	uint8_t want[BLK_SECTOR_SIZE];
	fill_pattern(want);
	KEXPECT(memcmp(buf, want, BLK_SECTOR_SIZE) == 0);
	log_info("selftest", "blk: pattern written to sector %llu and read back",
		 (unsigned long long)last);
	pmm_free(virt_to_phys_direct(buf), 0);
	return NULL;
}

static void count_done(void *arg, int status)
{
	int *done = arg;
	*done += status == BLK_OK ? 1 : 100;
}

KTEST(blk_requests_in_flight)
{
	struct blk_device *d = disk("blk_requests_in_flight");
	if (d == NULL) {
		return NULL;
	}
	uint8_t *buf = frame_buffer(); /* IN_FLIGHT sectors */
	KEXPECT(buf != NULL);
	memset(buf, 0, IN_FLIGHT * BLK_SECTOR_SIZE);
	int done = 0;
	struct blk_request r[IN_FLIGHT];
	for (unsigned i = 0; i < IN_FLIGHT; i++) {
		r[i] = (struct blk_request){.op = BLK_READ,
					    .sector = 0,
					    .count = 1,
					    .buf = buf + i * BLK_SECTOR_SIZE,
					    .done = count_done,
					    .arg = &done};
		KEXPECT(blk_submit(d, &r[i]) == BLK_OK);
	}
	/* Each blk_sync also completes whatever else has finished. */
	for (int rounds = 0; done < IN_FLIGHT && rounds < 100; rounds++) {
		KEXPECT(blk_sync(d, BLK_FLUSH, 0, 0, NULL) == BLK_OK);
	}
	KEXPECT(done == IN_FLIGHT);
	for (unsigned i = 0; i < IN_FLIGHT; i++) {
		KEXPECT(buf[i * BLK_SECTOR_SIZE + 510] == 0x55);
		KEXPECT(buf[i * BLK_SECTOR_SIZE + 511] == 0xaa);
	}
	pmm_free(virt_to_phys_direct(buf), 0);
	return NULL;
}

KTEST(blk_refuses_bad_requests)
{
	struct blk_device *d = disk("blk_refuses_bad_requests");
	if (d == NULL) {
		return NULL;
	}
	uint8_t *buf = frame_buffer();
	uint8_t on_stack[BLK_SECTOR_SIZE];
	KEXPECT(buf != NULL);
	uint64_t end = blk_capacity(d);
	KEXPECT(blk_sync(d, BLK_READ, end, 1, buf) == BLK_EINVAL);
	KEXPECT(blk_sync(d, BLK_READ, end - 1, 2, buf) == BLK_EINVAL);
	KEXPECT(blk_sync(d, BLK_READ, UINT64_MAX, 1, buf) == BLK_EINVAL);
	KEXPECT(blk_sync(d, BLK_READ, 0, 0, buf) == BLK_EINVAL);
	KEXPECT(blk_sync(d, BLK_READ, 0, BLK_MAX_SECTORS + 1, buf) == BLK_EINVAL);
	KEXPECT(blk_sync(d, BLK_READ, 0, 1, on_stack) == BLK_EINVAL);
	KEXPECT(blk_sync(d, BLK_READ, 0, 1, NULL) == BLK_EINVAL);
	KEXPECT(blk_sync(d, (enum blk_op)7, 0, 1, buf) == BLK_EINVAL);
	pmm_free(virt_to_phys_direct(buf), 0);
	return NULL;
}
