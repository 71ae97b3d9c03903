/*
 * Constants shared by the assembly boot path, the linker script and C:
 * where the kernel lives, how big its stack is, what screen GRUB should set.
 * Plain #defines only: this header is included from assembly.
 */
#pragma once

#define KERNEL_VMA	  0xffffffff80000000
#define KERNEL_PHYS_BASE  0x100000
#define DIRECT_MAP_BASE	  0xffff800000000000
#define KERNEL_STACK_SIZE (64 * 1024)

#define BOOT_FB_WIDTH  1280
#define BOOT_FB_HEIGHT 800
#define BOOT_FB_DEPTH  32
