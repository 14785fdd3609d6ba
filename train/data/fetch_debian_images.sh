#!/usr/bin/env bash
# Real photos and clips from Debian packages, for distillation inputs and held-out evaluation.
# The teacher labels anything, so a student's generalization comes from the breadth of its inputs; these
# are the largest sets of real images this project's machines can reach (Debian's registry only).
#
#   bash train/data/fetch_debian_images.sh DATA_DIR
#
# DATA_DIR/train_sources/  wallpapers (gnome, mate, ukui, lomiri, sway, plasma: photos and digital art,
#                          largest resolution of each), the sample photos and clips (edgegan data samples),
#                          and two opencv-doc clips (tree.avi, Megamind.avi)
# DATA_DIR/train_sources_gc/gcompris/  ~175 photographs (animals, monuments, instruments, objects) from
#                          gcompris-qt-data's Qt resource bundles (train/data/extract_qt_photos.py)
# DATA_DIR/heldout/        18 real photos from opencv-doc's examples: never used for training; the
#                          compression issue's "photos the project has never seen"
# DATA_DIR/heldout_video/  vtest.avi (opencv-doc, a street scene): the real-time issue's unseen video
# Licences: see each package's /usr/share/doc/<package>/copyright inside DATA_DIR/extracted.
set -euo pipefail
DATA=${1:?usage: fetch_debian_images.sh DATA_DIR}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
PKGS="gnome-backgrounds mate-backgrounds ukui-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04
      sway-backgrounds plasma-workspace-wallpapers opencv-doc gcompris-qt-data"
mkdir -p "$DATA/debs" "$DATA/extracted"
( cd "$DATA/debs" && apt-get download $PKGS )
for f in "$DATA"/debs/*.deb; do dpkg -x "$f" "$DATA/extracted"; done
SRC="$DATA/extracted/usr/share"
OCV="$SRC/doc/opencv-doc/examples/data"
W="$DATA/train_sources/wallpapers"
mkdir -p "$W" "$DATA/train_sources/videos" "$DATA/heldout" "$DATA/heldout_video"
find "$SRC/backgrounds" "$SRC/wallpapers" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' -o -iname '*.webp' \) \
    -size +50k | while read -r f; do cp "$f" "$W/$(echo "${f#$SRC/}" | tr '/' '_')"; done
# plasma ships each wallpaper at many resolutions: keep the largest file of each
for d in $(ls "$W" | grep '^wallpapers_' | cut -d_ -f2 | sort -u); do
    ls -S "$W"/wallpapers_"${d}"_* | tail -n +2 | xargs -r rm
done
"$HERE/.venv/bin/edgegan" data samples "$DATA/samples" >/dev/null
cp -r "$DATA/samples/photos" "$DATA/train_sources/photos"
cp "$DATA"/samples/videos/*.mp4 "$OCV/tree.avi" "$OCV/Megamind.avi" "$DATA/train_sources/videos/"
for f in aero1.jpg aloeL.jpg apple.jpg baboon.jpg building.jpg butterfly.jpg ela_original.jpg fruits.jpg home.jpg \
         leuvenA.jpg licenseplate_motion.jpg messi5.jpg orange.jpg squirrel_cls.jpg stuff.jpg graf1.png left.jpg \
         rubberwhale1.png; do
    cp "$OCV/$f" "$DATA/heldout/"
done
cp "$OCV/vtest.avi" "$DATA/heldout_video/"
"$HERE/.venv/bin/python" "$HERE/train/data/extract_qt_photos.py" "$SRC/gcompris-qt/rcc" "$DATA/train_sources_gc/gcompris"
echo "train sources: $(find "$DATA/train_sources" -type f | wc -l) files; held-out photos: $(ls "$DATA/heldout" | wc -l)"
