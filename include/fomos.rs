//! include/fomos.rs — the app ABI of include/fomos.h for apps written in
//! Rust, every version (1 to 7), with no crate and no standard library:
//! a module a `#![no_std]` app takes in with
//!
//! ```ignore
//! #[path = "../../include/fomos.rs"]
//! mod fomos;
//! ```
//!
//! (apps/rust_hello does). It mirrors the header field by field: the
//! `abi_struct!` macro checks every offset and size at compile time
//! against the numbers written here, and `make test` checks those numbers
//! and every constant against the C header itself
//! (tools/check-rust-binding), so the two cannot drift apart.
//!
//! A function field the header marks "may be NULL" is an `Option` here;
//! the others are plain function pointers. Fields after `input` exist only
//! when `version` says so: read `version` first (see `Context::has`).
//! Nothing newer than Debian 12's rustc (1.63) is used.

#![allow(dead_code)]

use core::ffi::c_void;
use core::mem::{align_of, size_of};

/// Declares a `#[repr(C)]` struct (the C struct it mirrors named after
/// `c`) and checks, at compile time, that each field lies at the offset
/// given after it and that the struct has the size given. The offsets
/// follow the rule `repr(C)` follows (each field at the next multiple of
/// its alignment after the previous one, the size rounded up to the
/// largest alignment), from the very list the struct is declared with.
/// Padding must be declared as a field too (`_pad`): a field that would
/// leave a hidden gap before the next one has the wrong size.
macro_rules! abi_struct {
    ($(#[$attr:meta])* $name:ident = c $cname:ident, size $size:literal {
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
                                               ": offset differs from include/fomos.rs"));
                assert!(at == end, concat!(stringify!($name), ".", stringify!($field),
                                           ": hidden padding before it (wrong size before?)"));
                end = at + size_of::<$ty>();
                if a > align {
                    align = a;
                }
            )*
            assert!((end + align - 1) / align * align == $size,
                    concat!(stringify!($name), ": size differs from include/fomos.rs"));
            assert!(size_of::<$name>() == $size,
                    concat!(stringify!($name), ": size differs from include/fomos.rs"));
        };
    };
}

// ---------------------------------------------------------------- pixels --

abi_struct! {
    /// One pixel: bytes r, g, b, a in memory order.
    #[derive(Clone, Copy)]
    Rgba = c fomos_rgba, size 4 {
        r: u8 = 0,
        g: u8 = 1,
        b: u8 = 2,
        a: u8 = 3,
    }
}

abi_struct! {
    /// The shared back buffer: `w * h` pixels, row stride `w`.
    Framebuffer = c fomos_framebuffer, size 32 {
        pixels: *mut Rgba = 0,
        len: usize = 8,
        w: usize = 16,
        h: usize = 24,
    }
}

// ----------------------------------------------------------------- input --

pub const FOMOS_INPUT_KEYS: usize = 1024;
pub const FOMOS_INPUT_HISTORY: usize = 64;
pub const FOMOS_KEY_OFF: u8 = 0;
pub const FOMOS_KEY_OFF_FROM_ON: u8 = 1;
pub const FOMOS_KEY_OFF_TRANSIENT_ON: u8 = 2;
pub const FOMOS_KEY_ON_FROM_OFF: u8 = 128;
pub const FOMOS_KEY_ON_TRANSIENT_OFF: u8 = 129;
pub const FOMOS_KEY_ON: u8 = 130;

abi_struct! {
    /// One key event of the input history.
    KeyEvent = c fomos_key_event, size 16 {
        trigger: bool = 0,
        _pad: [u8; 7] = 1,
        key: usize = 8,
    }
}

abi_struct! {
    /// The input state of this frame.
    Input = c fomos_input, size 2072 {
        mouse_x: usize = 0,
        mouse_y: usize = 8,
        keys: [u8; FOMOS_INPUT_KEYS] = 16,
        history_last_index: usize = 1040,
        history: [KeyEvent; FOMOS_INPUT_HISTORY] = 1048,
    }
}

impl Input {
    /// Whether key `code` (a Linux evdev code) is down this frame.
    pub fn key_down(&self, code: usize) -> bool {
        code < FOMOS_INPUT_KEYS && self.keys[code] >= FOMOS_KEY_ON_FROM_OFF
    }
}

// ----------------------------------------------- what the services report --

pub const FOMOS_APP_RUNNING: u32 = 0;
pub const FOMOS_APP_SLEEPING: u32 = 1;
pub const FOMOS_APP_EXITED: u32 = 2;
pub const FOMOS_APP_FLAG_RESTORED: u32 = 1;

abi_struct! {
    /// What `app_list` (version 2) reports about one app.
    AppInfo = c fomos_app_info, size 80 {
        pid: u64 = 0,
        name: [u8; 32] = 8,
        state: u32 = 40,
        flags: u32 = 44,
        calls: u64 = 48,
        total_ns: u64 = 56,
        memory_bytes: u64 = 64,
        allocations: u64 = 72,
    }
}

pub const FOMOS_POLICY_STOP: u32 = 0;
pub const FOMOS_POLICY_RESTART: u32 = 1;
pub const FOMOS_POLICY_KEEP: u32 = 2;

abi_struct! {
    /// What `app_stats` (version 3) reports about one app.
    AppStats = c fomos_app_stats, size 120 {
        pid: u64 = 0,
        name: [u8; 32] = 8,
        state: u32 = 40,
        policy: u32 = 44,
        calls: u64 = 48,
        total_ns: u64 = 56,
        max_ns: u64 = 64,
        memory_bytes: u64 = 72,
        memory_limit: u64 = 80,
        allocations: u64 = 88,
        budget_ms: u32 = 96,
        faults: u32 = 100,
        aborts: u32 = 104,
        restarts: u32 = 108,
        traced: u32 = 112,
        denied: u32 = 116,
    }
}

pub const FOMOS_CAP_LOG: u32 = 0;
pub const FOMOS_CAP_MEMORY: u32 = 1;
pub const FOMOS_CAP_TIME: u32 = 2;
pub const FOMOS_CAP_MEM_INFO: u32 = 3;
pub const FOMOS_CAP_APPS: u32 = 4;
pub const FOMOS_CAP_CLIPBOARD: u32 = 5;

pub const FOMOS_ENOAPP: i64 = -1;
pub const FOMOS_ENOMEM: i64 = -2;
pub const FOMOS_EINVAL: i64 = -3;
pub const FOMOS_ENOCTL: i64 = -4;
pub const FOMOS_EBADAPP: i64 = -5;
pub const FOMOS_ENOFOCUS: i64 = -6;

pub const FOMOS_CONTROL_TRACE: u32 = 1;
pub const FOMOS_CONTROL_DENY: u32 = 2;
pub const FOMOS_CONTROL_ALLOW: u32 = 3;
pub const FOMOS_CONTROL_BUDGET_MS: u32 = 4;
pub const FOMOS_CONTROL_MEMORY_LIMIT: u32 = 5;
pub const FOMOS_CONTROL_POLICY: u32 = 6;

pub const FOMOS_JOB_LIST: u32 = 1;
pub const FOMOS_JOB_REMOVE: u32 = 2;
pub const FOMOS_JOB_RUN: u32 = 3;
pub const FOMOS_JOB_SAVE: u32 = 4;
pub const FOMOS_JOB_LOAD: u32 = 5;
pub const FOMOS_JOB_REBOOT: u32 = 6;
pub const FOMOS_JOB_SHUTDOWN: u32 = 7;
pub const FOMOS_JOB_READ: u32 = 8;
pub const FOMOS_JOB_COPY: u32 = 9;
pub const FOMOS_JOB_MOVE: u32 = 10;
pub const FOMOS_JOB_MKDIR: u32 = 11;
pub const FOMOS_JOB_RMDIR: u32 = 12;
pub const FOMOS_JOB_SPACE: u32 = 13;
pub const FOMOS_JOB_UNSAVED: u64 = 1;
pub const FOMOS_JOB_PENDING: i64 = -1;
pub const FOMOS_JOB_EINVAL: i64 = -2;
pub const FOMOS_JOB_EBUSY: i64 = -3;
pub const FOMOS_JOB_EFAILED: i64 = -4;

abi_struct! {
    /// What `mem_info` (version 2) fills in.
    MemInfo = c fomos_mem_info, size 32 {
        total_bytes: u64 = 0,
        free_bytes: u64 = 8,
        kernel_heap_bytes: u64 = 16,
        apps_bytes: u64 = 24,
    }
}

// --------------------------------------------------------------- context --

pub const FOMOS_ABI_VERSION: u8 = 7;
pub const FOMOS_CLIPBOARD_MAX: u32 = 65536;

abi_struct! {
    /// The context, `struct fomos_context`: the only argument of `_start`.
    Context = c fomos_context, size 200 {
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
        // version 2
        time_ns: extern "C" fn() -> u64 = 96,
        mem_info: extern "C" fn(out: *mut MemInfo) = 104,
        app_start: Option<extern "C" fn(name: *const u8, name_len: u32) -> i64> = 112,
        app_list: Option<extern "C" fn(out: *mut AppInfo, max: u32) -> u32> = 120,
        app_kill: Option<extern "C" fn(pid: u64) -> i32> = 128,
        // version 3
        app_stats: Option<extern "C" fn(out: *mut AppStats, max: u32) -> u32> = 136,
        app_control: Option<extern "C" fn(pid: u64, what: u32, value: u64) -> i32> = 144,
        // version 4
        job_start: Option<extern "C" fn(op: u32, arg: *const u8, arg_len: u32, num: u64) -> i32>
            = 152,
        job_poll: Option<extern "C" fn(job: i32, out: *mut u8, out_cap: u32) -> i64> = 160,
        // version 5
        utc_ns: extern "C" fn() -> u64 = 168,
        // version 6
        window: extern "C" fn(w: u32, h: u32) -> i32 = 176,
        // version 7
        clipboard_put: Option<extern "C" fn(text: *const u8, len: u32) -> i32> = 184,
        clipboard_get: Option<extern "C" fn(out: *mut u8, cap: u32) -> i64> = 192,
    }
}

impl Context {
    /// Whether this context holds the fields of ABI version `v`.
    pub fn has(&self, v: u8) -> bool {
        self.version >= v
    }
}

// -------------------------------------------------------- return values --

pub const FOMOS_CONTINUE: i32 = 0;
pub const FOMOS_EXIT: i32 = 1;
pub const FOMOS_SLEEP_FLAG: i32 = 0x1000_0000;

/// `_start`'s "do not call me for `ms` milliseconds" (1 ..= 2^24 - 1).
pub const fn sleep_ms(ms: u32) -> i32 {
    FOMOS_SLEEP_FLAG | (ms & 0xff_ffff) as i32
}
