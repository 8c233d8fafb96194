/* COM1, the PC's first serial port: the console that tests and headless machines read. */
#pragma once

#include <stdbool.h>

/* Programs COM1 for 115200 8N1 and registers it as a console, if a UART answers there. */
bool serial_init(void);
