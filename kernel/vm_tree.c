/*
 * The treap behind kernel/vm.c. Split and merge do all the work: a split cuts a tree at a base
 * address into two, a merge joins two whose ranges do not interleave. Both are recursive, about
 * twice as deep as log2 of the node count on average: about 40 calls for a million ranges.
 */
#include "kernel/vm_tree.h"

#include <stddef.h>

static uint64_t max_size_of(const struct vm_area *n)
{
    return n ? n->max_size : 0;
}

static void update(struct vm_area *n)
{
    uint64_t m = n->size;

    if (max_size_of(n->left) > m)
        m = max_size_of(n->left);
    if (max_size_of(n->right) > m)
        m = max_size_of(n->right);
    n->max_size = m;
}

/* *left gets the nodes with base < key, *right the others. */
static void split(struct vm_area *t, uintptr_t key, struct vm_area **left, struct vm_area **right)
{
    if (t == NULL) {
        *left = *right = NULL;
    } else if (t->base < key) {
        split(t->right, key, &t->right, right);
        update(t);
        *left = t;
    } else {
        split(t->left, key, left, &t->left);
        update(t);
        *right = t;
    }
}

/* Every base in a is below every base in b. */
static struct vm_area *merge(struct vm_area *a, struct vm_area *b)
{
    if (a == NULL)
        return b;
    if (b == NULL)
        return a;
    if (a->priority > b->priority) {
        a->right = merge(a->right, b);
        update(a);
        return a;
    }
    b->left = merge(a, b->left);
    update(b);
    return b;
}

void vm_tree_insert(struct vm_area **root, struct vm_area *node)
{
    struct vm_area *left, *right;

    node->left = node->right = NULL;
    node->max_size = node->size;
    split(*root, node->base, &left, &right);
    *root = merge(merge(left, node), right);
}

void vm_tree_remove(struct vm_area **root, struct vm_area *node)
{
    struct vm_area *left, *middle, *right;

    split(*root, node->base, &left, &middle);
    split(middle, node->base + 1, &middle, &right);
    *root = merge(left, right);
    node->left = node->right = NULL;
}

struct vm_area *vm_tree_floor(struct vm_area *root, uintptr_t addr)
{
    struct vm_area *best = NULL;

    while (root) {
        if (root->base <= addr) {
            best = root;
            root = root->right;
        } else {
            root = root->left;
        }
    }
    return best;
}

struct vm_area *vm_tree_above(struct vm_area *root, uintptr_t addr)
{
    struct vm_area *best = NULL;

    while (root) {
        if (root->base > addr) {
            best = root;
            root = root->left;
        } else {
            root = root->right;
        }
    }
    return best;
}

static bool fits(const struct vm_area *n, uint64_t size, uint64_t align)
{
    uintptr_t start = (n->base + align - 1) & ~(uintptr_t)(align - 1);
    return start >= n->base && start - n->base <= n->size && n->size - (start - n->base) >= size;
}

struct vm_area *vm_tree_first_fit(struct vm_area *root, uint64_t size, uint64_t align)
{
    if (root == NULL || root->max_size < size)
        return NULL;
    struct vm_area *found = vm_tree_first_fit(root->left, size, align);
    if (found)
        return found;
    if (fits(root, size, align))
        return root;
    return vm_tree_first_fit(root->right, size, align);
}

/* Recomputes max_size on the path from the root down to node. */
static bool update_path(struct vm_area *t, const struct vm_area *node)
{
    if (t == NULL)
        return false;
    bool found = t == node || update_path(node->base < t->base ? t->left : t->right, node);
    if (found)
        update(t);
    return found;
}

void vm_tree_resized(struct vm_area *root, struct vm_area *node)
{
    update_path(root, node);
}
