# apps/hello/app.mk — hello is built with the original Fomos C build line,
# exactly (run inside apps/hello/): position-independent code linked at a
# fixed address, an ET_EXEC file. Only the output path is ours.
APP_CMD_hello = gcc -nostdlib -static -fPIE -pie main.c -o $(APP_OUT)
