#!/bin/busybox sh
# Stage 1 of the cellwall test VM, /init of the initramfs built by run.sh.
# Loads the drivers for the 9p root (those the kernel has as modules), puts
# a tmpfs-backed overlay on the host root shared read-only over 9p, and
# switch_roots into the guest init that run.sh names in the output share.
# Kept minimal on purpose: everything else happens in guest-init.sh, which
# lives on the shared root and so needs no initramfs rebuild when it changes.

/bin/busybox --install -s /bin
export PATH=/bin

# The initramfs has no /dev/console node (building one would need root),
# so take the console from devtmpfs.
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc

# Stay alive long enough to power off: if PID 1 exits, the kernel panics
# and the host would report a crash instead of this message.
fail() {
	echo "cellwall-vm initramfs: $*"
	poweroff -f
	sleep 3600
}

# run.sh ships only the modules this kernel has as modules, decompressed,
# in load order; built-in drivers simply have no file here.
for ko in /modules/*.ko; do
	[ -e "$ko" ] || continue
	insmod "$ko" || echo "cellwall-vm initramfs: insmod $ko failed"
done

# cache=loose on the read-only root makes exec-heavy tests about 25% faster
# under TCG; the price is that host changes made during a run may not show.
ninep=trans=virtio,version=9p2000.L,msize=512000
mkdir -p /lower /rw /newroot /out
mount -t 9p -o "ro,$ninep,cache=loose" root /lower || fail "cannot mount the 9p root"
mount -t tmpfs -o mode=0755 tmpfs /rw || fail "cannot mount tmpfs"
mkdir /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
	fail "cannot mount the overlay root"

mount -t 9p -o "$ninep" out /out || fail "cannot mount the output share"
init=$(cat /out/guest-init-path)
umount /out
[ -x "/newroot$init" ] || fail "guest init '$init' is not executable in the shared root"

# Hand the already mounted /dev and /proc over; the console fds stay valid.
mount --move /dev /newroot/dev
mount --move /proc /newroot/proc
exec switch_root /newroot "$init"
