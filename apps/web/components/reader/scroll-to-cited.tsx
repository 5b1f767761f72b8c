'use client';

import { useEffect } from 'react';

/**
 * Opens the reader at the cited passage: scrolled to the middle of the view and focused for screen
 * readers (the passage is a labelled region), unless the address names another place (#page-3).
 */
export function ScrollToCited() {
  useEffect(() => {
    if (window.location.hash && window.location.hash !== '#cited') return;
    const cited = document.getElementById('cited');
    if (!cited) return;
    cited.tabIndex = -1;
    cited.scrollIntoView({ block: 'center' });
    cited.focus({ preventScroll: true });
  }, []);
  return null;
}
