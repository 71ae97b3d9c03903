//! apps/rust_hello — an app in Rust, built by `rustc` alone: no cargo, no
//! crates, no standard library (apps/rust_hello/app.mk has the build line).
//!
//! The original Fomos apps were Rust; this one shows that the C ABI of
//! include/fomos.h is all a Rust app needs. It takes the ABI from
//! include/fomos.rs, the binding every Rust app can use: the header's
//! structs field by field for every ABI version, checked at compile time
//! and, by `make test`, against the C header itself.
//!
//! At its first call it allocates its state through `calloc`, keeps it in
//! `*store` and logs "hello from Rust" once; every call it draws a small
//! Rust-orange "R" tile on the left side of the screen (one row per pid).
//! It keeps running until killed.
//!
//! The build line must work with Debian 12's rustc (1.63) as well as with
//! newer ones, so nothing newer than that is used here.

#![no_std]
#![no_main]

#[path = "../../include/fomos.rs"]
mod fomos;

use core::mem::{align_of, size_of};
use fomos::{Context, Rgba, FOMOS_CONTINUE};

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}

/// `_start`'s value when the first calloc fails (any negative is an error).
const OUT_OF_MEMORY: i32 = -1;

/// What this app remembers between calls, in `*ctx.store`.
#[repr(C)]
struct State {
    calls: u64,
}

/// The letter R, 8 x 8, one byte per row, most significant bit leftmost.
const GLYPH_R: [u8; 8] = [0x00, 0x7c, 0x66, 0x66, 0x7c, 0x6c, 0x66, 0x00];
const SCALE: usize = 4;
const TILE: usize = 8 * SCALE;
const RUST_ORANGE: Rgba = Rgba {
    r: 0xde,
    g: 0x5d,
    b: 0x2c,
    a: 0xff,
};
const DARK: Rgba = Rgba {
    r: 0x20,
    g: 0x1a,
    b: 0x18,
    a: 0xff,
};

impl Context {
    fn log(&self, text: &str) {
        (self.log)(text.as_ptr(), text.len() as u32);
    }

    /// The app's state, allocated (zeroed) at the first call; None when
    /// there is no memory.
    fn state(&mut self) -> Option<&mut State> {
        unsafe {
            if (*self.store).is_null() {
                let p = (self.calloc)(size_of::<State>(), align_of::<State>());
                if p.is_null() {
                    return None;
                }
                *self.store = p;
            }
            Some(&mut *(*self.store as *mut State))
        }
    }

    /// The screen as a slice (empty when there is none).
    fn pixels(&mut self) -> &mut [Rgba] {
        if self.fb.pixels.is_null() {
            return &mut [];
        }
        unsafe { core::slice::from_raw_parts_mut(self.fb.pixels, self.fb.len) }
    }
}

/// Draw the "R" tile at (x0, y0), clipped to the screen.
fn draw_tile(ctx: &mut Context, x0: usize, y0: usize) {
    let (w, h) = (ctx.fb.w, ctx.fb.h);
    let pixels = ctx.pixels();
    for y in 0..TILE {
        for x in 0..TILE {
            let (px, py) = (x0 + x, y0 + y);
            if px >= w || py >= h || py * w + px >= pixels.len() {
                continue;
            }
            let on = GLYPH_R[y / SCALE] & (0x80 >> (x / SCALE)) != 0;
            pixels[py * w + px] = if on { RUST_ORANGE } else { DARK };
        }
    }
}

#[no_mangle]
pub extern "C" fn _start(ctx: &mut Context) -> i32 {
    let first = match ctx.state() {
        Some(state) => {
            state.calls += 1;
            state.calls == 1
        }
        None => return OUT_OF_MEMORY,
    };
    if first {
        ctx.log("hello from Rust");
    }
    let row = (ctx.pid % 8) as usize;
    draw_tile(ctx, 8, 200 + row * (TILE + 8));
    FOMOS_CONTINUE
}
