# apps/rust_hello/app.mk — a Rust app, built by rustc alone (no cargo, no
# crates), run inside apps/rust_hello/. The host target's code suits an app
# (x86-64 SysV, SSE); the link makes it one: no C runtime, no libraries, a
# static position-independent executable (ET_DYN with R_X86_64_RELATIVE
# relocations only) whose entry is _start. strip=debuginfo drops libcore's
# debug information (2 MB with Debian's rustc), keeping the symbol table.
# Works with Debian 12's rustc 1.63 and with newer ones (which link through
# rust-lld).
APP_CMD_rust_hello = $(RUSTC) --edition 2021 --crate-type bin --crate-name rust_hello -O \
	-C panic=abort -C relocation-model=pie -C link-arg=-nostartfiles \
	-C link-arg=-nostdlib -C link-arg=-static-pie -C strip=debuginfo main.rs -o $(APP_OUT)
