/*
 * Protection keys for user pages (PKU): four bits of every user PTE name
 * one of 16 keys, and the PKRU register says, per key, whether data
 * accesses to such pages are allowed at all (AD) and whether writes are
 * (WD). PKRU applies to every data access to a user page, from ring 3 and
 * ring 0 alike; it does not affect instruction fetches, nor supervisor
 * pages. Changing PKRU needs no TLB flush on hardware: that is what makes
 * a switch between apps cheap (QEMU's TCG does flush its emulated TLB on
 * every WRPKRU, which makes the write dear there: pkru_set writes only a
 * change). CR4.PKE turns it on (arch/x86_64/user_mode.c).
 */
#pragma once

#include <stdint.h>

#define PKEY_COUNT     16
#define PTE_PKEY_SHIFT 59
#define PTE_PKEY_MASK  (0xfull << PTE_PKEY_SHIFT)
#define PTE_PKEY(k)    ((uint64_t)(k) << PTE_PKEY_SHIFT)

/* PKRU bits for key k: no access at all, or no writes. */
#define PKRU_AD(k) (1u << (2 * (k)))
#define PKRU_WD(k) (2u << (2 * (k)))

/* What PKRU holds now (one CPU): written through pkru_set only. */
extern uint32_t pkru_now;

/* Make PKRU hold pkru, writing it only if it changes; returns what it held. */
static inline uint32_t pkru_set(uint32_t pkru)
{
	uint32_t was = pkru_now;
	if (pkru != was) {
		__asm__ volatile("wrpkru" : : "a"(pkru), "c"(0), "d"(0) : "memory");
		pkru_now = pkru;
	}
	return was;
}
