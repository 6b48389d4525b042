/*
 * sleeper.c - keeps one ordinary process alive in the Wine prefix.
 *
 * Wine stops every service about a second after the last ordinary (non-service)
 * process in a prefix exits. The test bed starts this program in the background
 * for the whole run so that services started by one test binary survive until
 * the next one looks at them. It sleeps until killed (wine_teardown does that,
 * and `wineserver -k` would too).
 */
#include <windows.h>

int main(void)
{
    for (;;)
        Sleep(INFINITE);
    return 0;
}
