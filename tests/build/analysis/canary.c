/* Not part of keel: code with one known bug for each analyzer, so that analysis.test can show
 * that clang-tidy and cppcheck, as configured, still find things. */
#include <stddef.h>

int canary_redundant(int a)
{
    return a == a; /* clang-tidy: misc-redundant-expression */
}

int canary_out_of_bounds(void)
{
    int table[4] = {0};
    return table[4]; /* cppcheck: arrayIndexOutOfBounds */
}
