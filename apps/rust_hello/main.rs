//! apps/rust_hello — an app in Rust, built by `rustc` alone: no cargo, no
//! crates, no standard library (apps/rust_hello/app.mk has the build line).
//!
//! The original Fomos apps were Rust; this one shows that the C ABI of
//! include/fomos.h is all a Rust app needs. `Context` below mirrors the
//! header's `struct fomos_context` (version 1 and the fields version 2
//! appends) field by field, and the `abi_struct!` macro checks every offset
//! and size at compile time against the numbers of include/fomos.h.
//!
//! At its first call it allocates its state through `calloc`, keeps it in
//! `*store` and logs "hello from Rust" once; every call it draws a small
//! Rust-orange "R" tile on the left side of the screen (one row per pid).
//! It keeps running until killed.
//!
//! The build line must work with Debian 12's rustc (1.63) as well as with
//! newer ones, so nothing newer than that is used here (not even
//! `core::mem::offset_of!`, hence the macro).

#![no_std]
#![no_main]

use core::ffi::c_void;
use core::mem::{align_of, size_of};

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}

/// Declares a `#[repr(C)]` struct and checks, at compile time, that each
/// field lies at the offset given after it and that the struct has the
/// size given. The offsets are computed with the rule `repr(C)` follows
/// (each field at the next multiple of its alignment after the previous
/// one, the size rounded up to the largest alignment), from the very list
/// the struct is declared with. Padding must be declared as a field too
/// (`_pad`): a field that would leave a hidden gap before the next one has
/// the wrong size. So a wrong type, a missing field or a field out of order
/// fails the build.
macro_rules! abi_struct {
    ($(#[$attr:meta])* $name:ident, size $size:literal {
        $($(#[$fattr:meta])* $field:ident: $ty:ty = $offset:literal,)*
    }) => {
        $(#[$attr])*
        #[repr(C)]
        pub struct $name {
            $($(#[$fattr])* pub $field: $ty,)*
        }

        const _: () = {
            let mut end = 0usize;
            let mut align = 1usize;
            $(
                let a = align_of::<$ty>();
                let at = (end + a - 1) / a * a;
                assert!(at == $offset, concat!(stringify!($name), ".", stringify!($field),
                                               ": offset differs from include/fomos.h"));
                assert!(at == end, concat!(stringify!($name), ".", stringify!($field),
                                           ": hidden padding before it (wrong size before?)"));
                end = at + size_of::<$ty>();
                if a > align {
                    align = a;
                }
            )*
            assert!((end + align - 1) / align * align == $size,
                    concat!(stringify!($name), ": size differs from include/fomos.h"));
            assert!(size_of::<$name>() == $size,
                    concat!(stringify!($name), ": size differs from include/fomos.h"));
        };
    };
}

abi_struct! {
    /// One pixel: bytes r, g, b, a in memory order.
    #[derive(Clone, Copy)]
    Rgba, size 4 {
        r: u8 = 0,
        g: u8 = 1,
        b: u8 = 2,
        a: u8 = 3,
    }
}

abi_struct! {
    /// The shared back buffer: `w * h` pixels, row stride `w`.
    Framebuffer, size 32 {
        pixels: *mut Rgba = 0,
        len: usize = 8,
        w: usize = 16,
        h: usize = 24,
    }
}

abi_struct! {
    /// One key event of the input history.
    KeyEvent, size 16 {
        trigger: bool = 0,
        _pad: [u8; 7] = 1,
        key: usize = 8,
    }
}

abi_struct! {
    /// The input state of this frame.
    Input, size 2072 {
        mouse_x: usize = 0,
        mouse_y: usize = 8,
        keys: [u8; 1024] = 16,
        history_last_index: usize = 1040,
        history: [KeyEvent; 64] = 1048,
    }
}

abi_struct! {
    /// What `mem_info` (version 2) fills in.
    MemInfo, size 32 {
        total_bytes: u64 = 0,
        free_bytes: u64 = 8,
        kernel_heap_bytes: u64 = 16,
        apps_bytes: u64 = 24,
    }
}

abi_struct! {
    /// What `app_list` (version 2) reports about one app.
    AppInfo, size 80 {
        pid: u64 = 0,
        name: [u8; 32] = 8,
        state: u32 = 40,
        reserved: u32 = 44,
        calls: u64 = 48,
        total_ns: u64 = 56,
        memory_bytes: u64 = 64,
        allocations: u64 = 72,
    }
}

abi_struct! {
    /// The context, `struct fomos_context`. Fields after `input` exist
    /// only when `version >= 2`; the `Option` ones may be absent (NULL)
    /// even then (capabilities only the shell gets).
    Context, size 136 {
        version: u8 = 0,
        _pad: [u8; 7] = 1,
        start_time: u64 = 8,
        log: extern "C" fn(s: *const u8, len: u32) = 16,
        pid: u64 = 24,
        fb: Framebuffer = 32,
        calloc: extern "C" fn(size: usize, align: usize) -> *mut c_void = 64,
        cdalloc: extern "C" fn(ptr: *mut c_void, size: usize, align: usize) = 72,
        store: *mut *mut c_void = 80,
        input: *const Input = 88,
        time_ns: extern "C" fn() -> u64 = 96,
        mem_info: extern "C" fn(out: *mut MemInfo) = 104,
        app_start: Option<extern "C" fn(name: *const u8, name_len: u32) -> i64> = 112,
        app_list: Option<extern "C" fn(out: *mut AppInfo, max: u32) -> u32> = 120,
        app_kill: Option<extern "C" fn(pid: u64) -> i32> = 128,
    }
}

/// `_start`'s return values (include/fomos.h).
const FOMOS_CONTINUE: i32 = 0;
const FOMOS_OUT_OF_MEMORY: i32 = -1;

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
        None => return FOMOS_OUT_OF_MEMORY,
    };
    if first {
        ctx.log("hello from Rust");
    }
    let row = (ctx.pid % 8) as usize;
    draw_tile(ctx, 8, 200 + row * (TILE + 8));
    FOMOS_CONTINUE
}
