/*
 * fs/fat32_sweep.c — the second half of fat32_repair: one pass over the
 * FAT, in large reads, that frees every allocated cluster the tree walk did
 * not reach, makes every FAT copy equal to FAT #0, and sets FSInfo's free
 * count (and its next-free hint, if that names no cluster).
 *
 * Why FAT #0 wins: the FAT cache writes each sector to FAT #0 first, then
 * to the copies (fs/fat32.c), so after a crash FAT #0 holds the newer
 * state, and the tree walk followed FAT #0's links. Lost clusters are
 * freed in FAT #0 before the copies for the same reason; a crash during
 * the sweep leaves work for the next repair, nothing worse.
 *
 * A cluster counts as lost when its FAT entry is neither free nor bad and
 * the walk did not mark it. Entries 0 and 1 and those past the last
 * cluster are left alone.
 *
 * Callers: fs/fat32_repair.c, after a successful walk.
 */
#include "fs/fat32_internal.h"
#include "lib/string.h"

#define FSI_UNKNOWN 0xFFFFFFFFu

struct sweep {
	uint32_t free, first_free;
	uint32_t copies_differ; /* bit i: copy i differs from FAT #0 in this chunk */
};

/* Free the lost clusters of the n FAT sectors from sector s held in a. */
static bool sweep_chunk(struct fat32 *fs, const uint8_t *map, uint8_t *a, uint32_t s, uint32_t n,
			struct sweep *sw, struct fat32_repair_report *rep)
{
	bool changed = false;
	for (uint32_t i = 0; i < n * (FAT32_SECTOR_SIZE / 4); i++) {
		uint32_t c = s * (FAT32_SECTOR_SIZE / 4) + i, raw = fat32_get32(a + 4 * i);
		uint32_t v = raw & FAT32_MASK;
		if (c < 2 || c > fs->cluster_count + 1) {
			continue;
		}
		if (v != 0 && v != FAT32_BAD && !fat32_map_test(map, c)) {
			fat32_put32(a + 4 * i, raw & ~FAT32_MASK);
			rep->lost_clusters++;
			changed = true;
			v = 0;
		}
		if (v == 0) {
			sw->free++;
			sw->first_free = sw->first_free ? sw->first_free : c;
		}
	}
	return changed;
}

/* Compare each copy's sectors [s, s + n) with FAT #0's, held in a. */
static int compare_copies(struct fat32 *fs, const uint8_t *a, uint8_t *b, uint32_t s, uint32_t n,
			  struct sweep *sw, struct fat32_repair_report *rep)
{
	sw->copies_differ = 0;
	for (uint32_t i = 1; i < fs->num_fats; i++) {
		int r =
		    fat32_read_sectors(fs, fs->fat_start + (uint64_t)i * fs->fat_sectors + s, n, b);
		if (r < 0) {
			return r;
		}
		for (uint32_t k = 0; k < n; k++) {
			size_t at = (size_t)k * FAT32_SECTOR_SIZE;
			if (memcmp(a + at, b + at, FAT32_SECTOR_SIZE) != 0) {
				rep->fat_copies_fixed++;
				sw->copies_differ |= 1u << i;
			}
		}
	}
	return 0;
}

/* Write the chunk to FAT #0 if it changed, then to each copy that now differs. */
static int write_chunk(struct fat32 *fs, const uint8_t *a, uint32_t s, uint32_t n, bool changed,
		       const struct sweep *sw)
{
	for (uint32_t i = 0; i < fs->num_fats; i++) {
		if (changed || (sw->copies_differ & (1u << i))) {
			int r = fat32_write_sectors(
			    fs, fs->fat_start + (uint64_t)i * fs->fat_sectors + s, n, a);
			if (r < 0) {
				return r;
			}
		}
	}
	return 0;
}

/* FSInfo: the free count, and a next-free hint that names no cluster. */
static int fix_fsinfo(struct fat32 *fs, const struct sweep *sw, struct fat32_repair_report *rep)
{
	fs->free_count = sw->free;
	if (fs->fsinfo_sector == 0) {
		return 0;
	}
	int r = fat32_read_sectors(fs, fs->fsinfo_sector, 1, fs->io_buf);
	if (r < 0) {
		return r;
	}
	uint32_t next = fat32_get32(fs->io_buf + 492);
	bool next_ok = next == FSI_UNKNOWN || (next >= 2 && next <= fs->cluster_count + 1);
	if (fat32_get32(fs->io_buf + 488) == sw->free && next_ok) {
		return 0;
	}
	fat32_put32(fs->io_buf + 488, sw->free);
	if (!next_ok) {
		fat32_put32(fs->io_buf + 492, sw->first_free ? sw->first_free : FSI_UNKNOWN);
	}
	rep->fsinfo_fixed = true;
	return fat32_write_sectors(fs, fs->fsinfo_sector, 1, fs->io_buf);
}

/*
 * The sweep proper. buf holds buf_sectors sectors (an even number): half
 * for FAT #0, half for a copy. map: the clusters the walk reached.
 */
int fat32_sweep(struct fat32 *fs, const uint8_t *map, uint8_t *buf, uint32_t buf_sectors,
		struct fat32_repair_report *rep)
{
	int r = fat32_fat_release(fs); /* the walk's chain cuts; then the FAT is read directly */
	uint32_t chunk = buf_sectors / 2;
	uint8_t *a = buf, *b = buf + (size_t)chunk * FAT32_SECTOR_SIZE;
	struct sweep sw = {0};
	for (uint32_t s = 0; r == 0 && s < fs->fat_sectors; s += chunk) {
		uint32_t n = fs->fat_sectors - s < chunk ? fs->fat_sectors - s : chunk;
		r = fat32_read_sectors(fs, fs->fat_start + s, n, a);
		if (r == 0) {
			r = compare_copies(fs, a, b, s, n, &sw, rep);
		}
		if (r == 0) {
			bool changed = sweep_chunk(fs, map, a, s, n, &sw, rep);
			r = write_chunk(fs, a, s, n, changed, &sw);
		}
	}
	if (r == 0) {
		r = fix_fsinfo(fs, &sw, rep);
	}
	return r < 0 ? r : fat32_flush_dev(fs);
}
