/*
 * Trees of address ranges for kernel/vm.c: a treap (a binary search tree by base address that is
 * also a heap by random priority, so it stays balanced on average) whose every node knows the
 * largest range in its subtree. That finds the lowest range that fits, its neighbours when a range
 * comes back, and the range holding an address, each in O(log n). The nodes are struct vm_area
 * (kernel/vm.h); the caller owns them.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/vm.h"

/* Adds node (base, size and priority set; ranges in a tree never overlap). */
void vm_tree_insert(struct vm_area **root, struct vm_area *node);

/* Takes node out of the tree. */
void vm_tree_remove(struct vm_area **root, struct vm_area *node);

/* The node with the largest base <= addr, or NULL. */
struct vm_area *vm_tree_floor(struct vm_area *root, uintptr_t addr);

/* The node with the smallest base > addr, or NULL. */
struct vm_area *vm_tree_above(struct vm_area *root, uintptr_t addr);

/*
 * The node of lowest base that holds size bytes starting at a multiple of align (a power of two),
 * or NULL.
 */
struct vm_area *vm_tree_first_fit(struct vm_area *root, uint64_t size, uint64_t align);

/* Call after changing a node's size in place (its base and order unchanged). */
void vm_tree_resized(struct vm_area *root, struct vm_area *node);
