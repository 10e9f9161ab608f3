// SPDX-License-Identifier: GPL-2.0-only
/*
 * guestmem.c: guest frames as hv.ko sees them. A domU's frame is a page of
 * its RAM memfd (looked up in the shmem page cache, allocated if the guest
 * never touched it); dom0's "frames" are host page frames of its kernel.
 */
#define pr_fmt(fmt) "hv: " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include "domain.h"
#include "physmap.h"

atomic64_t xhv_nr_ports, xhv_nr_grant_maps, xhv_nr_pinned, xhv_nr_foreign;

/*
 * Guest frame -> memfd page index: -EFAULT outside the domain's RAM and for
 * a frame the guest gave back (it is a hole until populated again; hv.ko
 * must not fill it behind the domain's reservation).
 */
static int gfn_to_index(struct xhv_domain *d, u64 gfn, pgoff_t *index)
{
	u64 i;

	if (!xhv_physmap_index(d->ram_pages, gfn, &i))
		return -EFAULT;
	if (d->given_back && test_bit(i, d->given_back))
		return -EFAULT;
	*index = i;
	return 0;
}

/* A referenced page for @gfn of @d; put_page() when done. */
struct page *xhv_frame_page(struct xhv_domain *d, u64 gfn)
{
	struct folio *folio;
	struct page *page;
	pgoff_t index;

	if (!d->ram) {
		/*
		 * dom0: a host frame of its own kernel. The frame may be a tail
		 * page of a compound page (skb data often is), whose own count
		 * is 0: the reference is the folio's, which put_page() on the
		 * tail drops. A folio split meanwhile is refused.
		 */
		if (gfn > ULONG_MAX || !pfn_valid(gfn))
			return ERR_PTR(-EFAULT);
		page = pfn_to_page(gfn);
		folio = page_folio(page);
		if (!folio_try_get(folio))
			return ERR_PTR(-EFAULT);
		if (unlikely(page_folio(page) != folio)) {
			folio_put(folio);
			return ERR_PTR(-EFAULT);
		}
		return page;
	}
	if (gfn_to_index(d, gfn, &index))
		return ERR_PTR(-EFAULT);
	/*
	 * A frame the guest has touched is an up-to-date page of the cache:
	 * take it without the folio lock shmem's lookup takes. Kernels
	 * before 6.3 answer a miss with NULL, later ones with an error.
	 */
	folio = filemap_get_folio(d->ram->f_mapping, index);
	if (!IS_ERR_OR_NULL(folio)) {
		if (folio_test_uptodate(folio))
			return folio_file_page(folio, index);
		folio_put(folio);
	}
	page = shmem_read_mapping_page(d->ram->f_mapping, index);
	return IS_ERR(page) ? ERR_PTR(-EFAULT) : page;
}

int xhv_pin(struct xhv_domain *d, u64 gfn, struct xhv_pinned *pin)
{
	struct page *page = xhv_frame_page(d, gfn);

	if (IS_ERR(page))
		return PTR_ERR(page);
	pin->page = page;
	pin->va = page_address(page);
	pin->gfn = gfn;
	atomic64_inc(&xhv_nr_pinned);
	return 0;
}

void xhv_unpin(struct xhv_pinned *pin)
{
	if (!pin->page)
		return;
	put_page(pin->page);
	pin->page = NULL;
	pin->va = NULL;
	atomic64_dec(&xhv_nr_pinned);
}

/* Copy between guest-physical memory and the kernel, page by page. */
static int guest_copy(struct xhv_domain *d, u64 gpa, void *buf, size_t len,
		      bool to_guest)
{
	while (len) {
		size_t off = offset_in_page(gpa);
		size_t chunk = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page = xhv_frame_page(d, gpa >> PAGE_SHIFT);

		if (IS_ERR(page))
			return PTR_ERR(page);
		if (to_guest) {
			memcpy(page_address(page) + off, buf, chunk);
			set_page_dirty(page);
		} else {
			memcpy(buf, page_address(page) + off, chunk);
		}
		put_page(page);
		gpa += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}

int xhv_guest_read(struct xhv_domain *d, void *dst, u64 gpa, size_t len)
{
	return guest_copy(d, gpa, dst, len, false);
}

int xhv_guest_write(struct xhv_domain *d, u64 gpa, const void *src, size_t len)
{
	return guest_copy(d, gpa, (void *)src, len, true);
}
