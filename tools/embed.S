/*
 * Embeds one build-time file in the kernel as read-only data:
 *   EMBED_SYMBOL .. EMBED_SYMBOL_end  the file's bytes
 * Used for the console font (see the Makefile). EMBED_FILE and
 * EMBED_SYMBOL come from the compiler command line.
 */
#define CAT(a, b) a##b
#define END(s) CAT(s, _end)

	.section .rodata
	.balign 16
	.global EMBED_SYMBOL, END(EMBED_SYMBOL)
EMBED_SYMBOL:
	.incbin EMBED_FILE
END(EMBED_SYMBOL):
	.byte 0
	.section .note.GNU-stack, "", @progbits
