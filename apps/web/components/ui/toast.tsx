'use client';

import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { cn } from './cn.ts';

export type ToastVariant = 'default' | 'success' | 'error';
type ToastItem = { id: number; message: string; variant: ToastVariant };
type ToastApi = { toast: (message: string, variant?: ToastVariant) => void };

const ToastContext = createContext<ToastApi>({ toast: () => {} });

/** Provides `useToast()`; renders toasts in a polite live region so screen readers announce them. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const toast = useCallback((message: string, variant: ToastVariant = 'default') => {
    const id = Date.now() + Math.random();
    setItems((current) => [...current.slice(-3), { id, message, variant }]);
    setTimeout(() => setItems((current) => current.filter((item) => item.id !== id)), 4_000);
  }, []);
  const api = useMemo(() => ({ toast }), [toast]);
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div
        aria-live="polite"
        role="status"
        className="pointer-events-none fixed right-4 bottom-4 z-50 flex flex-col gap-2"
      >
        {items.map((item) => (
          <div
            key={item.id}
            className={cn(
              'pointer-events-auto rounded-md border bg-card px-4 py-2 text-sm shadow-lg',
              item.variant === 'error' && 'border-destructive text-destructive',
              item.variant === 'success' && 'border-success',
            )}
          >
            {item.message}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/** Shows a short message: `const { toast } = useToast(); toast('Saved', 'success')`. */
export function useToast(): ToastApi {
  return useContext(ToastContext);
}
